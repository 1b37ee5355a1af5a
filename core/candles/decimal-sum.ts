// Exact sums of decimal numbers with up to 8 decimals (candle volumes), free of float drift.
//
// Each addend is split into its integer part and its fraction counted in 1e-8 units; both parts
// add up exactly in doubles (integers below 2^53), and the total is rounded to a double once, the
// way Number() reads the exact decimal sum. A volume's double is only near its decimal: rounding the
// fraction recovers the decimal digits whenever the double can tell them apart (values below 2^25,
// far above any real per-minute volume that carries 8 decimals). Hot loops inline `addTo`'s two lines.

export const VOLUME_DECIMALS = 8;
export const VOLUME_UNITS = 1e8;
/** Largest integer part for which int * 1e8 + (a fraction below 1e8) stays an exact double. */
const EXACT_INT_LIMIT = Math.floor(Number.MAX_SAFE_INTEGER / VOLUME_UNITS) - 1;

/** Running exact sum: `int` whole units plus `frac` 1e-8 units (`frac` may exceed one whole). */
export interface DecimalSum {
  int: number;
  frac: number;
}

export function addTo(sum: DecimalSum, value: number): void {
  const whole = Math.floor(value);
  sum.int += whole;
  sum.frac += Math.round((value - whole) * VOLUME_UNITS);
}

/** The double nearest to int + frac * 1e-8, as Number() would parse its exact decimal digits. */
export function decimalTotal(intPart: number, fracUnits: number): number {
  const carry = Math.floor(fracUnits / VOLUME_UNITS);
  const int = intPart + carry;
  const frac = fracUnits - carry * VOLUME_UNITS;
  if (Math.abs(int) <= EXACT_INT_LIMIT) return (int * VOLUME_UNITS + frac) / VOLUME_UNITS;
  // Rare huge totals: let the correctly rounded decimal parser do the single rounding.
  if (frac === 0) return int;
  const digits = (n: number) => String(n).padStart(VOLUME_DECIMALS, "0");
  if (int >= 0) return Number(`${int}.${digits(frac)}`);
  return -Number(`${-int - 1}.${digits(VOLUME_UNITS - frac)}`);
}

/** Exact decimal sum of `values` (each with at most 8 decimals), rounded once to a double. */
export function sumDecimals(values: Iterable<number>): number {
  const sum: DecimalSum = { int: 0, frac: 0 };
  for (const v of values) addTo(sum, v);
  return decimalTotal(sum.int, sum.frac);
}
