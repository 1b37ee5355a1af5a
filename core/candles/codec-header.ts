// Header, checksum and input validation of the candle codec (layout in codec.ts).
import { ByteReader, type ByteWriter, CandleCodecError, crc32 } from "./byte-io";
import type { Candle } from "./types";

export const CODEC_VERSION = 1;
const MAGIC_0 = 0x4d; // "M"
const MAGIC_1 = 0x43; // "C"
export const FLAG_RAW = 1;
export const FLAG_LOOSE = 2;
const KNOWN_FLAGS = FLAG_RAW | FLAG_LOOSE;
const CRC_BYTES = 4;
/** Fewest bytes a candle can take: five one-byte varints (scaled) or five float64 (raw). */
const MIN_SCALED_BYTES = 5;
export const RAW_BYTES = 40;

export interface CandleBlockInfo {
  version: number;
  count: number;
  step: number;
  firstTime: number;
  lastTime: number;
  encoding: "scaled" | "raw";
  priceDecimals: number;
  volumeDecimals: number;
}

/**
 * Validates times and values. Returns the gaps as flat pairs [index of the candle after the gap,
 * missing steps, ...] and whether some high or low lies inside the open-close range ("loose").
 */
export function scan(candles: readonly Candle[], step: number): { gaps: number[]; loose: boolean } {
  const gaps: number[] = [];
  let loose = false;
  for (let i = 0; i < candles.length; i++) {
    const c = candles[i];
    const t = c.time;
    if (!Number.isSafeInteger(t)) throw new RangeError(`candle time must be an integer second: ${t}`);
    // Number.isFinite is false for NaN, +-Infinity and non-numbers alike.
    const finite = Number.isFinite(c.open) && Number.isFinite(c.high) && Number.isFinite(c.low);
    if (!(finite && Number.isFinite(c.close) && Number.isFinite(c.volume))) {
      throw new RangeError(`candle at ${t} has a non-finite value: ${JSON.stringify(c)}`);
    }
    if (c.high < c.open || c.high < c.close || c.low > c.open || c.low > c.close) loose = true;
    if (i === 0) continue;
    const d = t - candles[i - 1].time;
    if (d <= 0) throw new RangeError(`candles must be sorted by time without repeats: ${t}`);
    if (d % step !== 0)
      throw new RangeError(`candle at ${t} is not a whole number of ${step}s steps after the previous one`);
    if (d > step) gaps.push(i, d / step - 1);
  }
  return { gaps, loose };
}

export function skipGap(time: number, step: number, gaps: number[], g: number): [number, number, number] {
  const t = time + gaps[g + 1] * step;
  const next = g + 2 < gaps.length ? gaps[g + 2] : -1;
  return [t, next, g + 2];
}

export function writeHeader(
  w: ByteWriter,
  candles: readonly Candle[],
  step: number,
  gaps: number[],
  priceDecimals: number,
  volumeDecimals: number,
  flags: number,
): void {
  w.u8(MAGIC_0);
  w.u8(MAGIC_1);
  w.u8(CODEC_VERSION);
  w.u8(flags);
  w.varint(candles.length);
  w.zigzag(candles.length > 0 ? candles[0].time : 0);
  w.varint(step);
  w.u8(priceDecimals);
  w.u8(volumeDecimals);
  w.varint(gaps.length / 2);
  let prev = 0;
  for (let k = 0; k < gaps.length; k += 2) {
    w.varint(gaps[k] - prev);
    w.varint(gaps[k + 1]);
    prev = gaps[k];
  }
}

export function seal(w: ByteWriter): Uint8Array {
  w.u32(crc32(w.written));
  return w.finish();
}

export function readHeader(bytes: Uint8Array): {
  r: ByteReader;
  info: CandleBlockInfo;
  gaps: number[];
  loose: boolean;
} {
  if (!(bytes instanceof Uint8Array)) throw new CandleCodecError("a candle block must be a Uint8Array");
  if (bytes.length < 4 + CRC_BYTES || bytes[0] !== MAGIC_0 || bytes[1] !== MAGIC_1) {
    throw new CandleCodecError("not a candle block (bad magic or too short)");
  }
  if (bytes[2] !== CODEC_VERSION) throw new CandleCodecError(`unsupported candle block version ${bytes[2]}`);
  const bodyEnd = bytes.length - CRC_BYTES;
  const stored = new ByteReader(bytes, bodyEnd, bytes.length).u32();
  if (crc32(bytes, 0, bodyEnd) !== stored)
    throw new CandleCodecError("candle block checksum mismatch (corrupt or truncated)");
  const flags = bytes[3];
  if ((flags & ~KNOWN_FLAGS) !== 0) throw new CandleCodecError(`unknown candle block flags ${flags}`);
  const r = new ByteReader(bytes, 4, bodyEnd);
  const count = r.varint();
  const firstTime = r.zigzag();
  const step = r.varint();
  const priceDecimals = r.u8();
  const volumeDecimals = r.u8();
  const gapCount = r.varint();
  const raw = (flags & FLAG_RAW) !== 0;
  if (step === 0 || priceDecimals > 22 || volumeDecimals > 22 || gapCount > count) {
    throw new CandleCodecError("inconsistent candle block header");
  }
  const gaps: number[] = [];
  let at = 0;
  let missing = 0;
  for (let k = 0; k < gapCount; k++) {
    at += r.varint();
    const m = r.varint();
    if (at <= 0 || at >= count || (k > 0 && at <= gaps[gaps.length - 2]))
      throw new CandleCodecError("bad gap list");
    gaps.push(at, m);
    missing += m;
  }
  if (count * (raw ? RAW_BYTES : MIN_SCALED_BYTES) > r.remaining)
    throw new CandleCodecError("truncated candle block");
  const lastTime = count > 0 ? firstTime + (count - 1 + missing) * step : firstTime;
  if (!Number.isSafeInteger(lastTime)) throw new CandleCodecError("candle times out of range");
  const encoding = raw ? "raw" : "scaled";
  const info = {
    version: CODEC_VERSION,
    count,
    step,
    firstTime,
    lastTime,
    encoding,
    priceDecimals,
    volumeDecimals,
  } as const;
  return { r, info, gaps, loose: (flags & FLAG_LOOSE) !== 0 };
}
