// The candle codec must refuse damaged blocks, never decode them into wrong numbers.
import { describe, expect, it } from "vitest";
import { crc32 } from "../../core/candles/byte-io";
import { CandleCodecError, decodeCandles, encodeCandles } from "../../core/candles/codec";
import type { Candle } from "../../core/candles/types";

const candle = (time: number, open: number, high: number, low: number, close: number, volume: number) => ({
  time,
  open,
  high,
  low,
  close,
  volume,
});

describe("candle codec corruption", () => {
  const day: Candle[] = Array.from({ length: 30 }, (_, i) =>
    candle(
      1_700_000_000 + 60 * i + (i > 20 ? 600 : 0),
      100 + i / 100,
      101 + i / 100,
      99.5,
      100.25,
      i * 0.001,
    ),
  );
  const block = encodeCandles(day);

  it("uses the standard CRC-32", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    // Against the bit-at-a-time definition, at every alignment of a longer input.
    const data = Uint8Array.from({ length: 257 }, (_, i) => (i * 131 + 7) & 0xff);
    const slow = (bytes: Uint8Array) => {
      let c = 0xffffffff;
      for (const b of bytes) {
        c ^= b;
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
      }
      return (c ^ 0xffffffff) >>> 0;
    };
    for (let n = 0; n <= data.length; n += 37)
      expect(crc32(data, 3, Math.min(n + 3, 257))).toBe(slow(data.subarray(3, Math.min(n + 3, 257))));
  });

  it("rejects every truncation", () => {
    for (let n = 0; n < block.length; n++) {
      expect(() => decodeCandles(block.subarray(0, n)), `first ${n} bytes`).toThrow(CandleCodecError);
    }
  });

  it("rejects every single-bit flip and random byte damage", () => {
    for (let i = 0; i < block.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const bad = block.slice();
        bad[i] ^= 1 << bit;
        expect(() => decodeCandles(bad), `byte ${i} bit ${bit}`).toThrow(CandleCodecError);
      }
    }
    let seed = 42;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let trial = 0; trial < 500; trial++) {
      const bad = block.slice();
      for (let k = 1 + Math.floor(rand() * 4); k > 0; k--)
        bad[Math.floor(rand() * bad.length)] ^= 1 + Math.floor(rand() * 255);
      expect(() => decodeCandles(bad)).toThrow(CandleCodecError);
    }
  });

  /** A block whose body was edited and whose checksum was then made to match again. */
  const resealed = (body: Uint8Array) => {
    const out = new Uint8Array(body.length + 4);
    out.set(body);
    new DataView(out.buffer).setUint32(body.length, crc32(body), true);
    return out;
  };

  it("checks the structure even when the checksum matches", () => {
    const body = block.subarray(0, block.length - 4);
    expect(decodeCandles(resealed(body))).toEqual(decodeCandles(block));
    expect(() => decodeCandles(resealed(body.subarray(0, body.length - 1)))).toThrow(/truncated/);
    const extra = new Uint8Array(body.length + 1);
    extra.set(body);
    expect(() => decodeCandles(resealed(extra))).toThrow(/unexpected bytes/);
    const flagged = body.slice();
    flagged[3] |= 0x80;
    expect(() => decodeCandles(resealed(flagged))).toThrow(/flags/);
  });

  it("names the problem: magic, version, checksum", () => {
    expect(() => decodeCandles(new Uint8Array(20))).toThrow(/not a candle block/);
    const future = block.slice();
    future[2] = 2;
    expect(() => decodeCandles(future)).toThrow(/version 2/);
    const longer = new Uint8Array(block.length + 1);
    longer.set(block);
    expect(() => decodeCandles(longer)).toThrow(/checksum/);
  });
});
