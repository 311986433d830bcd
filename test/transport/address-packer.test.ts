/**
 * AddressPacker: the addon's packed socket addresses, written from a template per host with the port set
 * each time; compared byte for byte with the addon's own packAddress.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { AddressPacker } from '../../src/transport/address-packer.ts';
import { nativeSendAddon } from '../../src/transport/native-send.ts';
import { nativeSkip } from '../support/native-skip.ts';

const addon = nativeSendAddon();
const noAddon = nativeSkip(addon !== null);

describe('AddressPacker', () => {
  it('writes what packAddress writes, for any IPv4 host and port, at any offset', { skip: noAddon }, () => {
    const a = addon as NonNullable<typeof addon>;
    const packer = new AddressPacker(a, 4);
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 1, max: 65_535 }), fc.nat(3), (host, port, slot) => {
        const batch = new Uint8Array(4 * packer.size).fill(0xee);
        assert.equal(packer.packInto(batch, slot * packer.size, { host, port }), true);
        const written = batch.subarray(slot * packer.size, (slot + 1) * packer.size);
        assert.deepEqual(Buffer.from(written), a.packAddress(host, port));
      }),
    );
  });

  it('packs IPv6 literals for an IPv6 socket, and nothing of the other family', { skip: noAddon }, () => {
    const a = addon as NonNullable<typeof addon>;
    const six = new AddressPacker(a, 6);
    const four = new AddressPacker(a, 4);
    const batch = new Uint8Array(six.size);
    assert.equal(six.packInto(batch, 0, { host: '::1', port: 9999 }), true);
    assert.deepEqual(Buffer.from(batch), a.packAddress('::1', 9999));
    assert.equal(six.packInto(batch, 0, { host: '127.0.0.1', port: 9999 }), false);
    assert.equal(four.packInto(batch, 0, { host: '::1', port: 9999 }), false);
    // A scoped address or a name has no packed form: node:dgram sends those.
    assert.equal(six.packInto(batch, 0, { host: 'fe80::1%lo', port: 1 }), false);
    assert.equal(four.packInto(batch, 0, { host: 'localhost', port: 1 }), false);
  });

  it('keeps working past its cache of hosts', { skip: noAddon }, () => {
    const a = addon as NonNullable<typeof addon>;
    const packer = new AddressPacker(a, 4);
    const batch = new Uint8Array(packer.size);
    for (let i = 0; i < 5_000; i++) {
      const host = `10.${(i >> 8) & 0xff}.${i & 0xff}.1`;
      assert.equal(packer.packInto(batch, 0, { host, port: 1 + i }), true);
      if (i % 997 === 0) assert.deepEqual(Buffer.from(batch), a.packAddress(host, 1 + i));
    }
  });
});
