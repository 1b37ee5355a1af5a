// One symbol's recorded 1m klines: sorted open times in a typed array for binary search, and for each
// row where its original CSV line lives, so answers carry the exact recorded decimal strings.
import { MINUTE_MS } from "./constants";

export interface KlineSeries {
  symbol: string;
  /** Recorded open times (ms), strictly increasing. */
  openMs: Float64Array;
  /** Row i is chunks[chunk[i]].slice(start[i], end[i]). */
  chunk: Uint16Array;
  start: Uint32Array;
  end: Uint32Array;
  chunks: string[];
  files: string[];
}

/** A Binance kline as /api/v3/klines returns it: 12 fields, times in ms, decimals as strings. */
export type KlineRow = [
  number,
  string,
  string,
  string,
  string,
  string,
  number,
  string,
  number,
  string,
  string,
  string,
];

/** The 12 comma-separated fields of row i, as recorded. */
export function rowFields(s: KlineSeries, i: number): string[] {
  return s.chunks[s.chunk[i]].slice(s.start[i], s.end[i]).split(",");
}

/** A 16-digit time is in microseconds (spot dumps from 2025 on); the API always speaks ms. */
export function timeFieldToMs(raw: string): number {
  const value = Number(raw);
  return raw.length >= 16 ? Math.floor(value / 1000) : value;
}

/** Row i as the API returns it, its times moved by `shiftMs`. */
export function klineRow(s: KlineSeries, i: number, shiftMs: number): KlineRow {
  const f = rowFields(s, i);
  const open = s.openMs[i] + shiftMs;
  const close = f[6] ? timeFieldToMs(f[6]) + shiftMs : open + MINUTE_MS - 1;
  return [open, f[1], f[2], f[3], f[4], f[5], close, f[7], Number(f[8]), f[9], f[10], "0"];
}

/** Grows typed arrays while rows are appended, so a year of rows never sits in plain JS arrays. */
export class SeriesBuilder {
  private n = 0;
  private openMs = new Float64Array(1024);
  private chunk = new Uint16Array(1024);
  private start = new Uint32Array(1024);
  private end = new Uint32Array(1024);
  readonly chunks: string[] = [];
  readonly files: string[] = [];

  constructor(readonly symbol: string) {}

  addChunk(text: string, file: string): number {
    this.chunks.push(text);
    this.files.push(file);
    return this.chunks.length - 1;
  }

  push(openMs: number, chunk: number, start: number, end: number): void {
    if (this.n === this.openMs.length) this.grow();
    this.openMs[this.n] = openMs;
    this.chunk[this.n] = chunk;
    this.start[this.n] = start;
    this.end[this.n] = end;
    this.n++;
  }

  private grow(): void {
    const size = this.openMs.length * 2;
    const copy = <T extends Float64Array | Uint16Array | Uint32Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.openMs = copy(this.openMs, (k) => new Float64Array(k));
    this.chunk = copy(this.chunk, (k) => new Uint16Array(k));
    this.start = copy(this.start, (k) => new Uint32Array(k));
    this.end = copy(this.end, (k) => new Uint32Array(k));
  }

  /** Sorted by open time; of rows sharing a time the first added wins (files are read in name order). */
  build(): KlineSeries {
    const n = this.n;
    let order: Uint32Array | null = null;
    for (let i = 1; i < n; i++) {
      if (this.openMs[i] <= this.openMs[i - 1]) {
        const t = this.openMs;
        order = Uint32Array.from({ length: n }, (_, k) => k).sort((a, b) => t[a] - t[b] || a - b);
        break;
      }
    }
    const at = (k: number) => (order ? order[k] : k);
    const out = {
      openMs: new Float64Array(n),
      chunk: new Uint16Array(n),
      start: new Uint32Array(n),
      end: new Uint32Array(n),
    };
    let m = 0;
    for (let k = 0; k < n; k++) {
      const i = at(k);
      if (m > 0 && out.openMs[m - 1] === this.openMs[i]) continue;
      out.openMs[m] = this.openMs[i];
      out.chunk[m] = this.chunk[i];
      out.start[m] = this.start[i];
      out.end[m] = this.end[i];
      m++;
    }
    return {
      symbol: this.symbol,
      openMs: out.openMs.slice(0, m),
      chunk: out.chunk.slice(0, m),
      start: out.start.slice(0, m),
      end: out.end.slice(0, m),
      chunks: this.chunks,
      files: this.files,
    };
  }
}
