// The signal's confidence, calibrated on the replayed hours of the rolling evaluation: each hour whose
// voters leaned one way is a sample (how far they leaned, whether the next close went that way). Every
// replayed hour gets the probability of the calibration fitted on the hours before it (so the history
// and the backtest never see their own outcome), and the live signal the fit on all of them.
import type { Candle } from "../../core/candles/types";
import {
  type CalibrationSample,
  fitCalibration,
  rollingCalibration,
  type SignalCalibration,
} from "../../core/models/calibration";
import type { DecidedHour, HourSignal } from "./backtest-replay";

/** Whether the close after `i` moved the way of `expected` (an unchanged close is a miss). */
const wentTheWay = (candles: readonly Candle[], i: number, expected: number) =>
  Math.sign(candles[i + 1].close - candles[i].close) === Math.sign(expected);

/**
 * `decisions` are the hours at origins start, start + 1, ... of `candles` (each with a next close);
 * returns them with their held-out confidences, and the calibration the live signal uses.
 */
export function calibrateHours(
  candles: readonly Candle[],
  start: number,
  decisions: readonly DecidedHour[],
): { signals: HourSignal[]; calibration: SignalCalibration } {
  const samples: CalibrationSample[] = [];
  const sampleOf: number[] = []; // decision index -> sample index, -1 without voters
  decisions.forEach((d, k) => {
    if (d.expected === null || d.score === null) {
      sampleOf.push(-1);
      return;
    }
    sampleOf.push(samples.length);
    samples.push({ score: d.score, hit: wentTheWay(candles, start + k, d.expected) });
  });
  const { probabilities, check } = rollingCalibration(samples);
  const signals = decisions.map((d, k) => {
    const p = sampleOf[k] >= 0 ? probabilities[sampleOf[k]] : null;
    return { time: d.time, signal: d.signal, confidence: p === null ? null : Math.round(p * 1e4) / 1e4 };
  });
  return {
    signals,
    calibration: {
      fit: fitCalibration(samples),
      check,
      samples: samples.length,
      source: "rolling_evaluation",
    },
  };
}
