/**
 * Stateless address-validation cookies (docs/PROTOCOL-v2.md, "Handshake and address validation"; as DTLS's
 * HelloVerifyRequest cookie, RFC 6347 §4.2.1, and QUIC's Retry token, RFC 9000 §8.1):
 *
 *   cookie = slot (u32) ‖ HMAC-SHA256(secret of slot, slot ‖ ip ‖ port (u16) ‖ nonce ‖ client key)[0..16]
 *
 * `slot` is floor(now / 30 s). The secret is random per slot and only the current and previous slots' are
 * kept, so a cookie is valid in its slot and the next, and the relay stores nothing per address. The ip is
 * the text form the socket reports; it is the only variable-length input, so the MAC input stays unambiguous.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ByteReader, ByteWriter } from './bytes.ts';
import { drawRandom, type RandomSource } from './crypto.ts';
import { COOKIE_BYTES, COOKIE_SLOT_BYTES, COOKIE_SLOT_MS, NONCE_BYTES, PUBLIC_KEY_BYTES } from './limits.ts';

const SECRET_BYTES = 32;
const MAC_BYTES = COOKIE_BYTES - COOKIE_SLOT_BYTES;
const encoder = new TextEncoder();

/** What a cookie binds: the HELLO's source address, nonce and public key. */
export interface CookieSubject {
  readonly ip: string;
  readonly port: number;
  readonly nonce: Uint8Array;
  readonly publicKey: Uint8Array;
}

export type CookieCheck =
  | { readonly ok: true }
  /** `length`: not 20 bytes; `stale`: its slot is neither now's nor the previous one; `mac`: forged or another subject's. */
  | { readonly ok: false; readonly reason: 'length' | 'stale' | 'mac' };

export class CookieJar {
  /** Secrets by slot: at most the two newest slots are kept. */
  private readonly secrets = new Map<number, Uint8Array>();

  constructor(
    private readonly random: RandomSource,
    private readonly slotMs: number = COOKIE_SLOT_MS,
  ) {}

  /** A cookie for `subject`, minted at `now` (ms). */
  mint(now: number, subject: CookieSubject): Uint8Array {
    const slot = this.slotAt(now);
    if (slot === null) throw new RangeError(`time ${now} is outside the u32 slot range`);
    const writer = new ByteWriter(COOKIE_BYTES).u32(slot);
    return writer.raw(this.mac(this.secretFor(slot), slot, subject)).bytes;
  }

  /** Whether `cookie` was minted by this jar for `subject` in now's slot or the previous one. */
  verify(now: number, cookie: Uint8Array, subject: CookieSubject): CookieCheck {
    if (cookie.byteLength !== COOKIE_BYTES) return { ok: false, reason: 'length' };
    const current = this.slotAt(now);
    const reader = new ByteReader(cookie);
    const slot = reader.u32();
    if (current === null || (slot !== current && slot !== current - 1)) return { ok: false, reason: 'stale' };
    // No secret for a fresh slot: this jar never minted in it, so the cookie is forged.
    const secret = this.secrets.get(slot);
    if (secret === undefined) return { ok: false, reason: 'mac' };
    const expected = this.mac(secret, slot, subject);
    return timingSafeEqual(expected, reader.span(MAC_BYTES)) ? { ok: true } : { ok: false, reason: 'mac' };
  }

  private slotAt(now: number): number | null {
    const slot = Math.floor(now / this.slotMs);
    return Number.isInteger(slot) && slot >= 0 && slot <= 0xffff_ffff ? slot : null;
  }

  /** The slot's secret, drawn when the slot is first used; older slots' secrets are forgotten. */
  private secretFor(slot: number): Uint8Array {
    const known = this.secrets.get(slot);
    if (known !== undefined) return known;
    const secret = drawRandom(this.random, SECRET_BYTES);
    this.secrets.set(slot, secret);
    const newest = Math.max(...this.secrets.keys());
    for (const kept of this.secrets.keys()) if (kept < newest - 1) this.secrets.delete(kept);
    return secret;
  }

  private mac(secret: Uint8Array, slot: number, subject: CookieSubject): Uint8Array {
    requireSubject(subject);
    const ip = encoder.encode(subject.ip);
    const input = new ByteWriter(COOKIE_SLOT_BYTES + ip.byteLength + 2 + NONCE_BYTES + PUBLIC_KEY_BYTES);
    input.u32(slot).raw(ip).u16(subject.port).raw(subject.nonce).raw(subject.publicKey);
    const digest = createHmac('sha256', secret).update(input.bytes).digest();
    return new Uint8Array(digest.subarray(0, MAC_BYTES));
  }
}

/** The subject comes from a decoded HELLO and a socket: a wrong size or port is a caller's bug. */
function requireSubject(subject: CookieSubject): void {
  const portValid = Number.isInteger(subject.port) && subject.port >= 0 && subject.port <= 0xffff;
  if (
    !portValid ||
    subject.nonce.byteLength !== NONCE_BYTES ||
    subject.publicKey.byteLength !== PUBLIC_KEY_BYTES
  ) {
    throw new RangeError('a cookie binds a u16 port, an 8-byte nonce and a 32-byte public key');
  }
}
