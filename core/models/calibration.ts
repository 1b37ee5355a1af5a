// A signal's confidence as a checked probability: the chance that the direction the voters lean to is
// the direction of the next hour's close, as a logistic function of how far they lean (their expected
// return in next-hour standard deviations). Fitted only on hours whose outcome was known before the
// hour it is used for, and checked there: its Brier score against the base rate's, and a reliability
// table (predicted against observed, by bin).

/** One past decision: how far the voters leaned (|expected| / sigma) and whether the close went that way. */
export interface CalibrationSample {
  score: number;
  hit: boolean;
}

export interface Calibration {
  /** P(hit | score) = 1 / (1 + exp(-(a + b score))), b >= 0: leaning further never lowers it. */
  a: number;
  b: number;
  /** The samples it rests on and how many were hits. */
  n: number;
  hits: number;
}

/** Fewest samples a fit needs: below it the confidence is unknown, not guessed. */
export const CALIBRATION_MIN_SAMPLES = 100;
const RIDGE = 1e-6;

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const logit = (p: number) => Math.log(p / (1 - p));

/** The calibrated probability of a hit at `score`. */
export const probabilityOf = (c: Calibration, score: number) => sigmoid(c.a + c.b * score);

/**
 * Maximum-likelihood logistic regression of hit on score (Newton's method on two parameters), with b
 * held at 0 when the fit would make it negative; null with fewer than CALIBRATION_MIN_SAMPLES samples.
 * The hit rate is shrunk by one hit and one miss (a Laplace prior) so that an all-hit sample is not
 * certainty.
 */
export function fitCalibration(samples: readonly CalibrationSample[]): Calibration | null {
  const n = samples.length;
  if (n < CALIBRATION_MIN_SAMPLES) return null;
  const hits = samples.reduce((s, x) => s + (x.hit ? 1 : 0), 0);
  const base = { a: logit((hits + 1) / (n + 2)), b: 0, n, hits };
  let a = base.a;
  let b = 0;
  for (let iter = 0; iter < 50; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = RIDGE;
    let hab = 0;
    let hbb = RIDGE;
    for (const { score, hit } of samples) {
      const p = sigmoid(a + b * score);
      const w = p * (1 - p);
      ga += (hit ? 1 : 0) - p;
      gb += ((hit ? 1 : 0) - p) * score;
      haa += w;
      hab += w * score;
      hbb += w * score * score;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a += da;
    b += db;
    if (!Number.isFinite(a) || !Number.isFinite(b)) return base;
    if (Math.abs(da) + Math.abs(db) < 1e-10) break;
  }
  return b > 0 ? { a, b, n, hits } : base;
}

/** Mean squared error of probabilities against outcomes (lower is better; 0.25 is a coin's). */
export function brierScore(probabilities: readonly number[], hits: readonly boolean[]): number {
  let s = 0;
  for (let i = 0; i < probabilities.length; i++) s += (probabilities[i] - (hits[i] ? 1 : 0)) ** 2;
  return s / probabilities.length;
}

export interface ReliabilityBin {
  /** The bin's predicted-probability range [from, to). */
  from: number;
  to: number;
  n: number;
  /** Mean predicted probability and the observed hit rate of the bin's samples. */
  predicted: number;
  observed: number;
}

/** Predictions grouped into bins of `width` by predicted probability; empty bins left out. */
export function reliabilityTable(
  probabilities: readonly number[],
  hits: readonly boolean[],
  width = 0.05,
): ReliabilityBin[] {
  const bins = new Map<number, { n: number; p: number; h: number }>();
  probabilities.forEach((p, i) => {
    const k = Math.min(Math.floor(p / width), Math.round(1 / width) - 1);
    const bin = bins.get(k) ?? { n: 0, p: 0, h: 0 };
    bin.n++;
    bin.p += p;
    bin.h += hits[i] ? 1 : 0;
    bins.set(k, bin);
  });
  return [...bins.entries()]
    .sort(([a], [b]) => a - b)
    .map(([k, bin]) => ({
      from: k * width,
      to: (k + 1) * width,
      n: bin.n,
      predicted: bin.p / bin.n,
      observed: bin.h / bin.n,
    }));
}

export interface HeldOutCheck {
  /** Samples predicted by a calibration fitted on earlier samples only. */
  n: number;
  brier: number;
  /** The Brier score of predicting each sample by the hit rate of the samples before it. */
  brier_base_rate: number;
  reliability: ReliabilityBin[];
}

/**
 * Walks `samples` in time order: each is given the probability of the calibration fitted on the samples
 * before it (refitted every `refitEvery`; null until CALIBRATION_MIN_SAMPLES came before), and those
 * predictions are scored against the base rate known at the same time.
 */
export function rollingCalibration(
  samples: readonly CalibrationSample[],
  refitEvery = 24,
): { probabilities: (number | null)[]; check: HeldOutCheck | null } {
  const probabilities: (number | null)[] = [];
  let current: Calibration | null = null;
  const predicted: number[] = [];
  const base: number[] = [];
  const hits: boolean[] = [];
  let hitsSoFar = 0;
  for (let i = 0; i < samples.length; i++) {
    if (i >= CALIBRATION_MIN_SAMPLES && (current === null || i % refitEvery === 0))
      current = fitCalibration(samples.slice(0, i));
    const p = current ? probabilityOf(current, samples[i].score) : null;
    probabilities.push(p);
    if (p !== null) {
      predicted.push(p);
      base.push((hitsSoFar + 1) / (i + 2));
      hits.push(samples[i].hit);
    }
    if (samples[i].hit) hitsSoFar++;
  }
  if (predicted.length === 0) return { probabilities, check: null };
  return {
    probabilities,
    check: {
      n: predicted.length,
      brier: brierScore(predicted, hits),
      brier_base_rate: brierScore(base, hits),
      reliability: reliabilityTable(predicted, hits),
    },
  };
}

/** The stored calibration of an instrument's signal: the fit the live signal uses and its held-out check. */
export interface SignalCalibration {
  fit: Calibration | null;
  check: HeldOutCheck | null;
  /** Hours with voters it could use. */
  samples: number;
  source: "rolling_evaluation" | "ledger";
}
