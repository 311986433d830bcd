import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  openPacket,
  type ProtectedHeader,
  readProtectedHeader,
  sealPacket,
} from '../../../src/protocol/v2/packet-protection.ts';
import {
  encodeClosePayload,
  encodeDataPayload,
  encodeProbePayload,
} from '../../../src/protocol/v2/protected-bodies.ts';
import { filled } from './deterministic-random.ts';
import { flipBit, sampleHandshake } from './protected-samples.ts';

const session = sampleHandshake();
const c2r = session.clientSide.secrets.clientToRelay;
const relayC2r = session.relaySide.secrets.clientToRelay;
const relayR2c = session.relaySide.secrets.relayToClient;
const encoder = new TextEncoder();

const header = (type: ProtectedHeader['type'], packetNumber: number): ProtectedHeader => ({
  type,
  sessionId: session.sessionId,
  packetNumber,
});

const joinLine = encodeDataPayload({ next: 0, bitmap: 0 }, [{ type: 'line', seq: 0, text: '/join alice' }]);

describe('packet protection', () => {
  it('the client seals, the relay opens: header in clear, payload recovered', () => {
    const datagram = sealPacket(header('data', 0), joinLine, c2r);
    assert.equal(datagram.byteLength, 15 + joinLine.byteLength + 16);
    assert.deepEqual([...datagram.subarray(0, 3)], [0xff, 0x03, 0x04]);
    assert.deepEqual(datagram.subarray(3, 11), session.sessionId);
    const opened = openPacket(datagram, relayC2r);
    assert.ok(opened.ok);
    assert.deepEqual(opened.header, header('data', 0));
    assert.deepEqual(opened.payload, joinLine);
  });

  it('a line is not readable on the wire', () => {
    const datagram = sealPacket(header('data', 0), joinLine, c2r);
    assert.equal(Buffer.from(datagram).includes(Buffer.from('alice')), false);
    assert.equal(Buffer.from(datagram).includes(Buffer.from(encoder.encode('/join'))), false);
  });

  it('every one-bit change anywhere makes the datagram fail to open', () => {
    const datagram = sealPacket(header('data', 7), joinLine, c2r);
    for (let bit = 0; bit < datagram.byteLength * 8; bit++) {
      const opened = openPacket(flipBit(datagram, bit), relayC2r);
      assert.equal(opened.ok, false, `bit ${bit} flipped still opened`);
    }
  });

  it('a datagram reflected to its sender, or sealed for another session, does not open', () => {
    const datagram = sealPacket(header('data', 0), joinLine, c2r);
    assert.deepEqual(openPacket(datagram, relayR2c), { ok: false, reason: 'auth' });
    const other = sampleHandshake('another session');
    assert.deepEqual(openPacket(datagram, other.relaySide.secrets.clientToRelay), {
      ok: false,
      reason: 'auth',
    });
  });

  it('a packet number rewritten in the header does not open (it is authenticated and makes the nonce)', () => {
    const datagram = sealPacket(header('data', 5), joinLine, c2r);
    const renumbered = new Uint8Array(datagram);
    new DataView(renumbered.buffer).setUint32(11, 6);
    assert.deepEqual(openPacket(renumbered, relayC2r), { ok: false, reason: 'auth' });
  });

  it('truncated or extended datagrams do not open', () => {
    const datagram = sealPacket(header('data', 0), joinLine, c2r);
    for (let cut = 0; cut < datagram.byteLength; cut++) {
      assert.equal(openPacket(datagram.subarray(0, cut), relayC2r).ok, false, `cut at ${cut}`);
    }
    const longer = new Uint8Array([...datagram, 0]);
    assert.equal(openPacket(longer, relayC2r).ok, false);
  });

  it('each type has its size: CLOSE 32, CHALLENGE and RESPONSE 39, DATA 39 to 1,200', () => {
    assert.equal(sealPacket(header('close', 1), encodeClosePayload(0), c2r).byteLength, 32);
    const probe = encodeProbePayload(filled(8, 0x77));
    assert.equal(sealPacket(header('response', 2), probe, c2r).byteLength, 39);
    assert.equal(sealPacket(header('challenge', 2), probe, relayR2c).byteLength, 39);
    assert.equal(
      sealPacket(header('data', 3), encodeDataPayload({ next: 0, bitmap: 0 }, []), c2r).byteLength,
      39,
    );
    assert.throws(() => sealPacket(header('close', 1), new Uint8Array(2), c2r), RangeError);
    assert.throws(() => sealPacket(header('data', 1), new Uint8Array(1170), c2r), RangeError);
    assert.equal(sealPacket(header('data', 1), new Uint8Array(1169), c2r).byteLength, 1200);
  });

  it('the header can be read to route the datagram before any key is known', () => {
    const datagram = sealPacket(header('close', 9), encodeClosePayload(0), c2r);
    assert.deepEqual(readProtectedHeader(datagram), { ok: true, header: header('close', 9) });
    assert.deepEqual(readProtectedHeader(new Uint8Array([0xff, 0x02, 0x04])), {
      ok: false,
      reason: 'version',
    });
    assert.deepEqual(readProtectedHeader(new Uint8Array([0xff, 0x03, 0x01, ...filled(40, 0)])), {
      ok: false,
      reason: 'type',
    });
    assert.deepEqual(readProtectedHeader(new Uint8Array([0x2f, 0x03, 0x04])), { ok: false, reason: 'magic' });
  });
});
