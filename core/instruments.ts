// What an instrument (a trading profile) is, for the Worker, the web app and the tools alike: the shape
// of its symbol, its market category, and how many periods that market trades in a year.
import { MODEL_PERIOD_SECONDS } from "./models/model-config";

export const PROFILE_SYMBOL = /^[A-Z0-9]{2,20}$/;
export const PROFILE_TYPES = ["crypto", "forex"] as const;
export type ProfileType = (typeof PROFILE_TYPES)[number];

/** Daily candles per year: crypto trades every day, forex on ~260 weekdays. */
export const PERIODS_PER_YEAR = { crypto: 365, forex: 260 } as const satisfies Record<ProfileType, number>;
/** Model periods (hours) a year: the backtest's equity returns are per model period. */
export const modelPeriodsPerYear = (category: ProfileType): number =>
  (PERIODS_PER_YEAR[category] * 86_400) / MODEL_PERIOD_SECONDS;
