// Byte-level helpers for the candle codec: LEB128 varints of integers up to 2^53, zigzag, CRC-32.

/** Raised for every malformed, truncated or corrupted encoded block: decoding never guesses. */
export class CandleCodecError extends Error {
  override name = "CandleCodecError";
}

/** 2^53 needs 8 groups of 7 bits; a longer varint is corrupt. */
const MAX_VARINT_BYTES = 8;
const UINT31 = 0x7fffffff;

export class ByteWriter {
  private bytes: Uint8Array;
  private view: DataView;
  pos = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(Math.max(16, capacity));
    this.view = new DataView(this.bytes.buffer);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.pos + n));
    grown.set(this.bytes);
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  u8(v: number): void {
    this.ensure(1);
    this.bytes[this.pos++] = v;
  }

  /** Unsigned varint of a safe integer >= 0 (the caller guarantees the range). */
  varint(v: number): void {
    this.ensure(MAX_VARINT_BYTES);
    const b = this.bytes;
    let p = this.pos;
    while (v > UINT31) {
      b[p++] = (v % 128) | 128; // bitwise ops only work on 32 bits
      v = Math.floor(v / 128);
    }
    while (v > 127) {
      b[p++] = (v & 127) | 128;
      v >>>= 7;
    }
    b[p++] = v;
    this.pos = p;
  }

  /** Signed varint: 0, -1, 1, -2 ... map to 0, 1, 2, 3 ... so small magnitudes stay short. */
  zigzag(v: number): void {
    this.varint(v < 0 ? -2 * v - 1 : 2 * v);
  }

  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, v, true);
    this.pos += 4;
  }

  /** The bytes written so far, as a right-sized copy. */
  finish(): Uint8Array {
    return this.bytes.slice(0, this.pos);
  }

  get written(): Uint8Array {
    return this.bytes.subarray(0, this.pos);
  }
}

export class ByteReader {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  pos: number;
  readonly end: number;

  constructor(bytes: Uint8Array, start: number, end: number) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  u8(): number {
    if (this.pos >= this.end) throw new CandleCodecError("truncated candle block");
    return this.bytes[this.pos++];
  }

  varint(): number {
    const p0 = this.pos;
    if (p0 < this.end) {
      const x = this.bytes[p0];
      if (x < 128) {
        this.pos = p0 + 1; // most values fit one byte
        return x;
      }
    }
    return this.varintLong();
  }

  private varintLong(): number {
    const b = this.bytes;
    let p = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      if (p >= this.end) throw new CandleCodecError("truncated candle block");
      const x = b[p++];
      result += (x & 127) * scale;
      if (x < 128) {
        if (result > Number.MAX_SAFE_INTEGER) throw new CandleCodecError("varint out of range");
        this.pos = p;
        return result;
      }
      scale *= 128;
    }
    throw new CandleCodecError("varint longer than 8 bytes");
  }

  zigzag(): number {
    const z = this.varint();
    if (z <= UINT31) return (z >>> 1) ^ -(z & 1); // 32-bit fast path
    return z % 2 === 1 ? -(z + 1) / 2 : z / 2;
  }

  f64(): number {
    if (this.pos + 8 > this.end) throw new CandleCodecError("truncated candle block");
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  u32(): number {
    if (this.pos + 4 > this.end) throw new CandleCodecError("truncated candle block");
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
}

let crcTables: Uint32Array[] | null = null;

/** Slicing-by-4 tables: table k maps a byte to its CRC contribution k bytes further on. */
function tables(): Uint32Array[] {
  if (crcTables) return crcTables;
  const t = [0, 1, 2, 3].map(() => new Uint32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[0][n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 4; k++) t[k][n] = (t[k - 1][n] >>> 8) ^ t[0][t[k - 1][n] & 0xff];
  }
  crcTables = t;
  return t;
}

/** CRC-32 (IEEE 802.3, as zlib and PNG) of bytes[start, end). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const [t0, t1, t2, t3] = tables();
  let c = 0xffffffff;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    c ^= bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    c = t3[c & 0xff] ^ t2[(c >>> 8) & 0xff] ^ t1[(c >>> 16) & 0xff] ^ t0[c >>> 24];
  }
  for (; i < end; i++) c = t0[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
