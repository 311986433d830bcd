import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseFingerprint } from '../../../src/protocol/v2/fingerprint.ts';
import { openPacket, readProtectedHeader, sealPacket } from '../../../src/protocol/v2/packet-protection.ts';
import { openAccept3 } from '../../../src/protocol/v2/protected-accept.ts';
import {
  decodeClosePayload,
  decodeDataPayload,
  decodeProbePayload,
  encodeDataPayload,
} from '../../../src/protocol/v2/protected-bodies.ts';
import {
  decodeExtensions,
  decodeHello3,
  decodeReject3,
  decodeRetry3,
  readVersionReject,
  versionRejectFor,
} from '../../../src/protocol/v2/protected-handshake.ts';
import { resetTokenMatches } from '../../../src/protocol/v2/reset-token.ts';
import { sampleHandshake } from './protected-samples.ts';

const session = sampleHandshake('fuzz');
const relayKeys = session.relaySide.secrets.clientToRelay;
const expect = { nonce: session.nonce, ephemeral: session.client, helloExtensions: new Uint8Array(0) };

/** Every wire-3 decoder, fed the same bytes: each answers a result value. */
function decodesQuietly(bytes: Uint8Array): void {
  const results: { ok: boolean }[] = [
    readProtectedHeader(bytes),
    openPacket(bytes, relayKeys),
    openAccept3(bytes, expect),
    decodeHello3(bytes),
    decodeRetry3(bytes),
    decodeReject3(bytes),
    decodeDataPayload(bytes),
    decodeClosePayload(bytes),
    decodeProbePayload(bytes),
  ];
  for (const result of results) assert.equal(typeof result.ok, 'boolean');
  versionRejectFor(bytes);
  readVersionReject(bytes);
  decodeExtensions(bytes);
  resetTokenMatches(session.relaySide.resetToken, bytes);
}

const header = (type: number): fc.Arbitrary<Uint8Array> =>
  fc.uint8Array({ maxLength: 1250 }).map((body) => new Uint8Array([0xff, 0x03, type, ...body]));

describe('wire-3 decoding and decryption never throw', () => {
  it('on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 1300 }), decodesQuietly), { numRuns: 1500 });
  });

  it('on arbitrary bytes behind a wire-3 header of every type', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 }).chain(header), decodesQuietly), { numRuns: 1500 });
  });

  it('on arbitrary bodies behind this session’s id: they are refused as forgeries', () => {
    const routed = fc
      .tuple(
        fc.constantFrom(0x04, 0x05, 0x06, 0x07),
        fc.nat({ max: 0xffff_ffff }),
        fc.uint8Array({ maxLength: 1185 }),
      )
      .map(([type, number, body]) => {
        const bytes = new Uint8Array(15 + body.byteLength);
        bytes.set([0xff, 0x03, type, ...session.sessionId]);
        new DataView(bytes.buffer).setUint32(11, number);
        bytes.set(body, 15);
        return bytes;
      });
    fc.assert(
      fc.property(routed, (bytes) => {
        decodesQuietly(bytes);
        assert.equal(openPacket(bytes, relayKeys).ok, false);
      }),
      { numRuns: 1500 },
    );
  });

  it('on any truncation, extension or byte rewrite of a genuine DATA, none of which opens', () => {
    const payload = encodeDataPayload({ next: 3, bitmap: 0x5 }, [
      { type: 'line', seq: 3, text: 'genuine' },
      { type: 'ping' },
    ]);
    const genuine = sealPacket(
      { type: 'data', sessionId: session.sessionId, packetNumber: 42 },
      payload,
      session.clientSide.secrets.clientToRelay,
    );
    const mutation = fc.oneof(
      fc.nat({ max: genuine.byteLength - 1 }).map((cut) => genuine.subarray(0, cut)),
      fc.uint8Array({ minLength: 1, maxLength: 20 }).map((tail) => new Uint8Array([...genuine, ...tail])),
      fc.tuple(fc.nat({ max: genuine.byteLength - 1 }), fc.integer({ min: 1, max: 255 })).map(([at, xor]) => {
        const copy = new Uint8Array(genuine);
        copy[at] = (copy[at] ?? 0) ^ xor;
        return copy;
      }),
    );
    fc.assert(
      fc.property(mutation, (bytes) => {
        decodesQuietly(bytes);
        assert.equal(openPacket(bytes, relayKeys).ok, false);
      }),
      { numRuns: 2000 },
    );
    assert.equal(openPacket(genuine, relayKeys).ok, true);
  });

  it('on any byte rewrite of a genuine ACCEPT, none of which opens', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: session.accept.byteLength - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (at, xor) => {
          const copy = new Uint8Array(session.accept);
          copy[at] = (copy[at] ?? 0) ^ xor;
          assert.equal(openAccept3(copy, expect).ok, false);
        },
      ),
      { numRuns: 800 },
    );
  });

  it('on arbitrary fingerprint text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const parsed = parseFingerprint(text);
        assert.ok(parsed === null || parsed.byteLength === 32);
      }),
      { numRuns: 1000 },
    );
  });
});
