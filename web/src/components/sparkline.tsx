// A small line of the last 24 hourly closes, coloured by whether the price ended above where it began.
const W = 52;
const H = 22;

export function Sparkline({ points }: { points: { close: number }[] }) {
  if (points.length < 2) return <span class="sparkline sparkline--empty" aria-hidden="true" />;
  const closes = points.map((p) => p.close);
  const lo = Math.min(...closes);
  const span = Math.max(...closes) - lo || 1;
  const path = closes
    .map(
      (c, i) =>
        `${((i / (closes.length - 1)) * W).toFixed(1)},${(H - 1 - ((c - lo) / span) * (H - 2)).toFixed(1)}`,
    )
    .join(" ");
  const dir = closes[closes.length - 1] >= closes[0] ? "up" : "down";
  return (
    <svg
      class={`sparkline sparkline--${dir}`}
      viewBox={`0 0 ${W} ${H}`}
      width={W}
      height={H}
      aria-hidden="true"
    >
      <polyline points={path} fill="none" vector-effect="non-scaling-stroke" />
    </svg>
  );
}
