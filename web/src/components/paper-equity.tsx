// The recorded signal's paper account against buying and holding, hour by hour since its first trade:
// two lines on one scale, both starting at 1.
import { formatPct, formatUtc } from "../lib/format";

type Point = { time: number; value: number; buy_and_hold: number };

const W = 320;
const H = 96;
const PAD = 4;

export function PaperEquity({ points }: { points: Point[] }) {
  if (points.length < 2) return null;
  const all = points.flatMap((p) => [p.value, p.buy_and_hold]);
  const min = Math.min(...all);
  const span = Math.max(...all) - min || 1;
  const t0 = points[0].time;
  const tSpan = points.at(-1)!.time - t0 || 1;
  const x = (t: number) => (PAD + ((t - t0) / tSpan) * (W - 2 * PAD)).toFixed(1);
  const y = (v: number) => (PAD + (1 - (v - min) / span) * (H - 2 * PAD)).toFixed(1);
  const path = (get: (p: Point) => number) =>
    points.map((p, i) => `${i === 0 ? "M" : "L"}${x(p.time)},${y(get(p))}`).join("");
  const last = points.at(-1)!;
  const label = `Paper account ${formatPct(last.value - 1, 1)} against buy and hold ${formatPct(last.buy_and_hold - 1, 1)}, ${formatUtc(t0)} to ${formatUtc(last.time)}`;
  return (
    <figure class="paper">
      <svg class="equity" viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={label}>
        <line x1="0" x2={W} y1={y(1)} y2={y(1)} class="equity__base" />
        <path d={path((p) => p.buy_and_hold)} class="paper__hold" vector-effect="non-scaling-stroke" />
        <path d={path((p) => p.value)} class="paper__signal" vector-effect="non-scaling-stroke" />
      </svg>
      <figcaption class="paper__key">
        <span class="paper__swatch paper__swatch--signal" aria-hidden="true" />
        signal on paper
        <span class="paper__swatch paper__swatch--hold" aria-hidden="true" />
        buy &amp; hold
      </figcaption>
    </figure>
  );
}
