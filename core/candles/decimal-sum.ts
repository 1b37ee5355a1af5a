// Exact sums of decimal numbers with up to 8 decimals (candle volumes), free of float drift.
//
// A volume v below 2^50 / 1e8 (about 1.1e7) is exactly round(v * 1e8) units of 1e-8: its double
// is within 2^-29 of the decimal and the product rounds by at most 1/8, far from the 1/2 that
// could pick the wrong integer. Integer unit counts add exactly while they stay below 2^53. Larger
// volumes are split into an integer part and a fraction in units, so their whole part stays exact.
// The total is rounded to a double once, the way Number() reads the exact decimal sum.

export const VOLUME_DECIMALS = 8;
export const VOLUME_UNITS = 1e8;
/** Unit counts below this add exactly (their sum stays below 2^51) and convert exactly. */
export const UNIT_LIMIT = 2 ** 50;
/** Largest integer part for which int * 1e8 + (a fraction below 1e8) stays an exact double. */
const EXACT_INT_LIMIT = Math.floor(Number.MAX_SAFE_INTEGER / VOLUME_UNITS) - 1;

/** Running exact sum: `int` whole units plus `frac` 1e-8 units (`frac` may exceed one whole). */
export interface DecimalSum {
  int: number;
  frac: number;
}

/** Adds a volume of any size to a split sum (the slow path of the hot loops). */
export function addTo(sum: DecimalSum, value: number): void {
  const u = Math.round(value * VOLUME_UNITS);
  if (Math.abs(u) < UNIT_LIMIT) {
    sum.frac += u;
  } else {
    const whole = Math.floor(value);
    sum.int += whole;
    sum.frac += Math.round((value - whole) * VOLUME_UNITS);
  }
  if (Math.abs(sum.frac) >= UNIT_LIMIT) normalize(sum);
}

/** Moves whole units out of `frac`, leaving 0 <= frac < 1e8. */
function normalize(sum: DecimalSum): void {
  let carry = Math.floor(sum.frac / VOLUME_UNITS);
  let rem = sum.frac - carry * VOLUME_UNITS; // exact: both terms are integers below 2^53
  if (rem < 0) {
    carry -= 1; // the division may round across an integer; fix the remainder's range
    rem += VOLUME_UNITS;
  } else if (rem >= VOLUME_UNITS) {
    carry += 1;
    rem -= VOLUME_UNITS;
  }
  sum.int += carry;
  sum.frac = rem;
}

/** The double nearest to int + frac * 1e-8, as Number() would parse its exact decimal digits. */
export function decimalTotal(intPart: number, fracUnits: number): number {
  if (intPart === 0 && Math.abs(fracUnits) < UNIT_LIMIT) return fracUnits / VOLUME_UNITS;
  const sum = { int: intPart, frac: fracUnits };
  normalize(sum);
  const { int, frac } = sum;
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
