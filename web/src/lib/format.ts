// Time formatting shared by every page; numbers are written by core/format.ts, re-exported here.
export {
  formatCompact,
  formatCount,
  formatFixed,
  formatMoney,
  formatNumber,
  formatPct,
  formatPctPoints,
  formatPrice,
  formatPValue,
  priceDecimals,
  trendOf,
} from "../../../core/format";

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
