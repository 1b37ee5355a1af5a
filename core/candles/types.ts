// One OHLCV bar. `time` is the Unix second at which its period opens (UTC).
export interface Candle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export const MINUTE = 60;
export const DAY = 86_400;
export const WEEK = 7 * DAY;
