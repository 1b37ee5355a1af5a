// Number and time formatting shared by every page; prices keep their significant decimals.

/**
 * Decimals that show a price's meaningful digits by its size: 2 for BTC, 4 between 1 and 10 (EURUSD
 * 1.0835, a pip, not the broker's fifth decimal: the market's own tick size is not in the contract yet),
 * about five significant digits below 1.
 */
export function priceDecimals(price: number): number {
  const abs = Math.abs(price);
  if (!Number.isFinite(abs) || abs === 0) return 2;
  if (abs >= 1000) return 2;
  if (abs >= 10) return 3;
  if (abs >= 1) return 4;
  // Below 1: keep about five significant digits.
  return Math.min(10, Math.max(4, 4 - Math.floor(Math.log10(abs))));
}

const numberFormats = new Map<string, Intl.NumberFormat>();
function nf(min: number, max: number, extra: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${min}:${max}:${JSON.stringify(extra)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat("en-US", {
      minimumFractionDigits: min,
      maximumFractionDigits: max,
      // A value that rounds to zero shows no sign: never "-0" or "-0.00".
      signDisplay: "negative",
      ...extra,
    });
    numberFormats.set(key, format);
  }
  return format;
}

export function formatPrice(value: number | null | undefined, decimals?: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const d = decimals ?? priceDecimals(value);
  return nf(d, d).format(value);
}

/** A fraction as a signed percentage: 0.0523 -> "+5.23%"; one that rounds to zero has no sign ("0.0%"). */
export function formatPct(fraction: number | null | undefined, decimals = 2, signed = true): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return "—";
  const text = nf(decimals, decimals).format(Math.abs(fraction * 100));
  const zero = !/[1-9]/.test(text);
  const sign = zero ? "" : fraction > 0 && signed ? "+" : fraction < 0 ? "−" : "";
  return `${sign}${text}%`;
}

/** Already a percentage (change_percent): 2.5 -> "+2.50%". */
export function formatPctPoints(points: number | null | undefined, decimals = 2): string {
  return formatPct(points === null || points === undefined ? points : points / 100, decimals);
}

export function formatNumber(value: number | null | undefined, decimals = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return nf(0, decimals).format(value);
}

export function formatCompact(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return nf(0, 2, { notation: "compact" }).format(value);
}

/** The colour of a number as shown: "+1.2%" is up, "−0.4" down, "0.0%" (whatever it rounded from) flat. */
export function trendOf(shown: string): "up" | "down" | "flat" {
  if (shown.startsWith("+")) return "up";
  return shown.startsWith("−") || shown.startsWith("-") ? "down" : "flat";
}

/** The API sends Unix seconds or ISO strings; both become a Date (null when absent or unreadable). */
export function toDate(value: string | number | null | undefined): Date | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "number") {
    // Seconds for anything before the year 5138; milliseconds otherwise.
    return new Date(value < 1e11 ? value * 1000 : value);
  }
  const numeric = Number(value);
  if (Number.isFinite(numeric)) return toDate(numeric);
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** "2024-06-30 23:59 UTC": every time in the app is UTC, as the API's. */
export function formatUtc(value: string | number | null | undefined, withTime = true): string {
  const date = toDate(value);
  if (!date) return "—";
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  return withTime ? `${day} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC` : day;
}

export function formatAgo(value: string | number | null | undefined, now = Date.now()): string {
  const date = toDate(value);
  if (!date) return "—";
  const seconds = Math.round((now - date.getTime()) / 1000);
  if (seconds < 0) return formatUtc(value);
  if (seconds < 45) return "just now";
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  if (seconds < 30 * 86_400) return `${Math.round(seconds / 86_400)} d ago`;
  return formatUtc(value, false);
}

/** Job progress may be a fraction (0..1) or a percentage (0..100); the bar wants 0..100. */
export function progressPercent(progress: number | null | undefined): number {
  if (progress === null || progress === undefined || !Number.isFinite(progress)) return 0;
  const pct = progress <= 1 ? progress * 100 : progress;
  return Math.max(0, Math.min(100, pct));
}

/** An age in seconds, short: "12 s", "7 min", "3 h", "2 d". */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}
