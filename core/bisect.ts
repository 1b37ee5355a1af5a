// Binary search over ascending numbers (candle open times): where a time would go.

/** First index whose value is >= t (sorted.length if none). */
export function lowerBound(sorted: ArrayLike<number>, t: number): number {
  return bisect(sorted, (v) => v < t);
}

/** First index whose value is > t (sorted.length if none). */
export function upperBound(sorted: ArrayLike<number>, t: number): number {
  return bisect(sorted, (v) => v <= t);
}

/** First index whose value no longer satisfies `before` (which holds for a prefix of the array). */
function bisect(sorted: ArrayLike<number>, before: (v: number) => boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(sorted[mid])) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
