/**
 * Big-endian byte reading and writing for the v2 wire layer (docs/PROTOCOL-v2.md: "All integers are
 * unsigned big-endian"). The reader never reads past its end: callers check `remaining` first, so a
 * hostile datagram can make decoding fail but never throw.
 */

/** Lower-case hex of a byte string: the map key for session ids, nonces and challenges. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Whether two byte strings are equal (not constant time: for public values such as ids only). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((value, index) => value === b[index]);
}

/** A view of any Uint8Array (Buffers from a pool included) at its real offset. */
function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Writes fields in order into a datagram of a size known in advance. */
export class ByteWriter {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  private position = 0;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = viewOf(this.bytes);
  }

  u8(value: number): this {
    this.view.setUint8(this.position, value);
    this.position += 1;
    return this;
  }

  u16(value: number): this {
    this.view.setUint16(this.position, value);
    this.position += 2;
    return this;
  }

  u32(value: number): this {
    this.view.setUint32(this.position, value);
    this.position += 4;
    return this;
  }

  raw(value: Uint8Array): this {
    this.bytes.set(value, this.position);
    this.position += value.byteLength;
    return this;
  }
}

/** Reads fields in order; every read assumes the caller checked `remaining`. */
export class ByteReader {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private position = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = viewOf(bytes);
  }

  get remaining(): number {
    return this.bytes.byteLength - this.position;
  }

  u8(): number {
    const value = this.view.getUint8(this.position);
    this.position += 1;
    return value;
  }

  u16(): number {
    const value = this.view.getUint16(this.position);
    this.position += 2;
    return value;
  }

  u32(): number {
    const value = this.view.getUint32(this.position);
    this.position += 4;
    return value;
  }

  /** A copy, so a decoded packet never aliases the receive buffer. */
  take(count: number): Uint8Array {
    const value = new Uint8Array(this.bytes.subarray(this.position, this.position + count));
    this.position += count;
    return value;
  }

  /** A view of the next `count` bytes (no copy), for bytes that are decoded at once. */
  span(count: number): Uint8Array {
    const value = this.bytes.subarray(this.position, this.position + count);
    this.position += count;
    return value;
  }
}
