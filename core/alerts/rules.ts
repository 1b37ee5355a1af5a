// Alert kinds and their crossing rules: pure, so the Worker's evaluation, the benchmark and the tests
// share one definition. Every kind is edge-triggered: an armed alert fires once when its condition
// becomes true and re-arms only after the opposite condition, set a hysteresis margin away, holds.

export const ALERT_KINDS = [
  "price_above",
  "price_below",
  "change_pct",
  "signal_change",
  "band_exit",
  "data_stale",
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_LIMITS = {
  /** Alerts one account may keep. */
  perUser: 50,
  /** A price alert re-arms once the close is this fraction back across its level (0.2%). */
  priceHysteresis: 0.002,
  /** change_pct compares a close with the close this many minutes earlier. */
  changeWindowMinutes: 60,
  /** change_pct re-arms once the move is back under this share of its threshold. */
  changeRearmShare: 0.75,
  /** change_pct thresholds, in percent (either sign). */
  changePct: { min: 0.1, max: 100 },
  /** data_stale: minutes without a new candle (default, bounds). */
  staleMinutes: { default: 10, min: 2, max: 1440 },
} as const;

/** What an alert needs in `value`: a level, a percent, minutes, or nothing. */
export function valueRule(kind: AlertKind): "price" | "percent" | "minutes" | "none" {
  if (kind === "price_above" || kind === "price_below") return "price";
  if (kind === "change_pct") return "percent";
  if (kind === "data_stale") return "minutes";
  return "none";
}

/** One closed minute as an alert sees it. */
export interface Observation {
  time: number;
  close: number;
  /** The close ALERT_LIMITS.changeWindowMinutes earlier, when stored. */
  closeBefore?: number | null;
  /** The 95% band forecast for the hour this minute belongs to. */
  band?: { lower: number; upper: number } | null;
}

export interface Watched {
  kind: AlertKind;
  value: number | null;
  /** null until the alert has seen its first observation. */
  armed: boolean | null;
}

/** The move over the change window, in percent, or null without the earlier close. */
export const changePct = (o: Observation) => (o.closeBefore ? (o.close / o.closeBefore - 1) * 100 : null);

/**
 * Whether the condition holds (`hit`) and whether the opposite one holds far enough to re-arm
 * (`clear`), for the kinds evaluated on every minute; null when this minute says nothing (no band).
 */
function conditions(a: Watched, o: Observation): { hit: boolean; clear: boolean } | null {
  const v = a.value ?? 0;
  const h = ALERT_LIMITS.priceHysteresis;
  switch (a.kind) {
    case "price_above":
      return { hit: o.close >= v, clear: o.close < v * (1 - h) };
    case "price_below":
      return { hit: o.close <= v, clear: o.close > v * (1 + h) };
    case "change_pct": {
      const ch = changePct(o);
      if (ch === null) return null;
      const back = v * ALERT_LIMITS.changeRearmShare;
      return v > 0 ? { hit: ch >= v, clear: ch < back } : { hit: ch <= v, clear: ch > back };
    }
    case "band_exit": {
      const b = o.band;
      if (!b || !(b.upper > b.lower)) return null;
      const margin = o.close * h;
      return {
        hit: o.close > b.upper || o.close < b.lower,
        clear: o.close <= b.upper - margin && o.close >= b.lower + margin,
      };
    }
    default:
      return null;
  }
}

/**
 * One step of an alert over one minute: its new armed state and whether it fired. An alert that has
 * never looked starts armed only when its condition does not already hold (creating "above 100" while
 * the price is 105 waits for the price to come back under 100 first).
 */
export function step(a: Watched, o: Observation): { armed: boolean | null; fired: boolean } {
  const c = conditions(a, o);
  if (c === null) return { armed: a.armed, fired: false };
  if (a.armed === null) return { armed: !c.hit, fired: false };
  if (a.armed && c.hit) return { armed: false, fired: true };
  if (!a.armed && c.clear) return { armed: true, fired: false };
  return { armed: a.armed, fired: false };
}

/** The kinds `step` evaluates on each minute's close (the others are fired by the hourly signal and the clock). */
export const MINUTE_KINDS: readonly AlertKind[] = ["price_above", "price_below", "change_pct", "band_exit"];
