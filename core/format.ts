// One way to write a number, for the dashboard, the admin console, the Worker's reason texts and the
// trainer's messages: prices by the market's tick, money (a price difference such as an MAE) likewise,
// percentages, p-values and counts. A negative number carries the minus sign (U+2212), and nothing that
// rounds to zero carries a sign.

export const MINUS = "\u2212";

/** The decimals a tick shows: 0.01 -> 2, 0.00001 -> 5, 0.5 -> 1, 1 or more -> 0. */
export function tickDecimals(tick: number): number {
  if (!(tick > 0) || !Number.isFinite(tick) || tick >= 1) return 0;
  // The tick as ccxt gives it (0.01, 1e-8) has a short decimal form; rounding strips float noise.
  const text = tick.toFixed(12).replace(/0+$/, "");
  return Math.min(12, text.length - text.indexOf(".") - 1);
}

/**
 * Decimals of a price: the market's tick when known; otherwise by the price's size (2 at 1,000 and up,
 * 3 from 10, 4 from 1, about five significant digits below 1).
 */
export function priceDecimals(price: number, tick?: number | null): number {
  if (tick) return tickDecimals(tick);
  const abs = Math.abs(price);
  if (!Number.isFinite(abs) || abs === 0) return 2;
  if (abs >= 1000) return 2;
  if (abs >= 10) return 3;
  if (abs >= 1) return 4;
  return Math.min(10, Math.max(4, 4 - Math.floor(Math.log10(abs))));
}

const formats = new Map<string, Intl.NumberFormat>();
function nf(min: number, max: number, extra: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${min}:${max}:${JSON.stringify(extra)}`;
  let format = formats.get(key);
  if (!format) {
    // signDisplay "never": the sign is written here, so a value that rounds to zero shows none.
    format = new Intl.NumberFormat("en-US", {
      minimumFractionDigits: min,
      maximumFractionDigits: max,
      signDisplay: "never",
      ...extra,
    });
    formats.set(key, format);
  }
  return format;
}

const finite = (v: number | null | undefined): v is number => typeof v === "number" && Number.isFinite(v);

/** `text` of |value| with value's sign: "+" only when asked, the minus sign, none when it shows as zero. */
function signed(value: number, text: string, plus = false): string {
  if (!/[1-9]/.test(text)) return text;
  if (value < 0) return `${MINUS}${text}`;
  return plus && value > 0 ? `+${text}` : text;
}

export function formatNumber(value: number | null | undefined, decimals = 2): string {
  if (!finite(value)) return "—";
  return signed(value, nf(0, decimals).format(value));
}

/** A whole count with thousands separators: 129600 -> "129,600". */
export function formatCount(value: number | null | undefined): string {
  if (!finite(value)) return "—";
  return signed(value, nf(0, 0).format(value));
}

/** A price at its market's tick (see priceDecimals). */
export function formatPrice(value: number | null | undefined, tick?: number | null): string {
  if (!finite(value)) return "—";
  const d = priceDecimals(value, tick);
  return signed(value, nf(d, d).format(value));
}

/** A price with set decimals, for several prices that must line up (an axis, a range's two ends). */
export function formatFixed(value: number | null | undefined, decimals: number): string {
  if (!finite(value)) return "—";
  return signed(value, nf(decimals, decimals).format(value));
}

/**
 * An amount in the quote currency that is not a price (an MAE, a P&L per unit): the market's tick when
 * known, else cents, and about three significant digits below 1.
 */
export function formatMoney(value: number | null | undefined, tick?: number | null): string {
  if (!finite(value)) return "—";
  const abs = Math.abs(value);
  const d = tick
    ? tickDecimals(tick)
    : abs >= 1 || abs === 0
      ? 2
      : Math.min(10, 2 - Math.floor(Math.log10(abs)));
  return signed(value, nf(d, d).format(value));
}

/** A fraction as a percentage: 0.0523 -> "+5.23%"; one that rounds to zero has no sign ("0.00%"). */
export function formatPct(fraction: number | null | undefined, decimals = 2, plus = true): string {
  if (!finite(fraction)) return "—";
  return `${signed(fraction, nf(decimals, decimals).format(Math.abs(fraction * 100)), plus)}%`;
}

/** Already a percentage (change_percent): 2.5 -> "+2.50%". */
export function formatPctPoints(points: number | null | undefined, decimals = 2): string {
  return formatPct(finite(points) ? points / 100 : points, decimals);
}

export function formatCompact(value: number | null | undefined): string {
  if (!finite(value)) return "—";
  return signed(value, nf(0, 2, { notation: "compact" }).format(value));
}

/**
 * A p-value: two or three decimals as they are significant ("0.21", "0.034", "0.998"), "< 0.001" and
 * "> 0.999" at the ends, so a 0.998 never reads as 1.
 */
export function formatPValue(p: number | null | undefined): string {
  if (!finite(p)) return "—";
  if (p < 0.001) return "< 0.001";
  if (p > 0.999) return "> 0.999";
  return nf(2, 3).format(p);
}

/** The colour of a number as shown: "+1.2%" is up, "−0.4" down, "0.00%" (whatever it rounded from) flat. */
export function trendOf(shown: string): "up" | "down" | "flat" {
  if (shown.startsWith("+")) return "up";
  return shown.startsWith(MINUS) || shown.startsWith("-") ? "down" : "flat";
}
