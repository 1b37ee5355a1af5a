// What each annualised ratio is computed over, in words a trader can check: window, return period and
// the square-root-of-time factor, from the same constants the Worker computes them with.
import { modelPeriodsPerYear, PERIODS_PER_YEAR } from "../../../core/instruments";
import { MODEL_PERIOD_SECONDS } from "../../../core/models/model-config";
import type { Instrument } from "../api-types";

type Category = Instrument["category"];

/** Daily returns a year (crypto trades every day, forex on weekdays). */
export const dailyPerYear = (category: Category): number => PERIODS_PER_YEAR[category];

/** Model periods (hours) a year, as the Worker annualises the backtest's equity returns with. */
export const hourlyPerYear = (category: Category): number => modelPeriodsPerYear(category);

export const MODEL_PERIOD_WORD =
  MODEL_PERIOD_SECONDS === 3600 ? "hourly" : `${MODEL_PERIOD_SECONDS / 3600} h`;

/** "×√365": how a per-period ratio becomes a yearly one. */
export const annualiser = (periodsPerYear: number): string => `×√${periodsPerYear}`;

/** Whole periods between two Unix-second times: the length of a window in words ("182 days"). */
export function spanWords(fromSec: number, toSec: number): string {
  const days = Math.round((toSec - fromSec) / 86_400);
  if (days >= 2) return `${days} days`;
  const hours = Math.round((toSec - fromSec) / 3600);
  return `${hours} hours`;
}
