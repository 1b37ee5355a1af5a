// The signals replayed out of sample, fees included: equity curve and the figures that matter.
import type { BacktestAnswer } from "../api-types";
import { formatNumber, formatPct, formatUtc, trend } from "../lib/format";
import { backtest } from "../state/dashboard";
import { ResourceView } from "./resource-view";
import { Card } from "./ui";

const W = 320;
const H = 96;
const PAD = 4;

function EquityCurve({ points }: { points: { time: number; value: number }[] }) {
  if (points.length < 2) return null;
  const values = points.map((p) => p.value);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const t0 = points[0].time;
  const tSpan = points.at(-1)!.time - t0 || 1;
  const x = (t: number) => PAD + ((t - t0) / tSpan) * (W - 2 * PAD);
  const y = (v: number) => PAD + (1 - (v - min) / span) * (H - 2 * PAD);
  const line = points
    .map((p, i) => `${i === 0 ? "M" : "L"}${x(p.time).toFixed(1)},${y(p.value).toFixed(1)}`)
    .join("");
  const area = `${line}L${x(points.at(-1)!.time).toFixed(1)},${H}L${x(t0).toFixed(1)},${H}Z`;
  const startY = y(points[0].value).toFixed(1);
  const up = points.at(-1)!.value >= points[0].value;
  return (
    <svg
      class="equity"
      viewBox={`0 0 ${W} ${H}`}
      preserveAspectRatio="none"
      role="img"
      aria-label="Equity curve of the backtest"
    >
      <defs>
        <linearGradient id="equity-fill" x1="0" y1="0" x2="0" y2="1">
          <stop offset="0" stop-color={up ? "#E1007A" : "#FF4D6D"} stop-opacity="0.35" />
          <stop offset="1" stop-color="#8A2BE2" stop-opacity="0" />
        </linearGradient>
        <linearGradient id="equity-line" x1="0" y1="0" x2="1" y2="0">
          <stop offset="0" stop-color="#8A2BE2" />
          <stop offset="1" stop-color="#E1007A" />
        </linearGradient>
      </defs>
      <line x1="0" x2={W} y1={startY} y2={startY} class="equity__base" />
      <path d={area} fill="url(#equity-fill)" />
      <path
        d={line}
        fill="none"
        stroke="url(#equity-line)"
        stroke-width="2"
        vector-effect="non-scaling-stroke"
      />
    </svg>
  );
}

function BacktestBody({ data }: { data: BacktestAnswer }) {
  const trades = Array.isArray(data.trades) ? data.trades.length : data.trades;
  const edge = data.total_return - data.buy_and_hold_return;
  return (
    <>
      <div class="backtest__headline">
        <div>
          <span class="muted">Strategy</span>
          <strong class={`num ${trend(data.total_return)}`}>{formatPct(data.total_return, 1)}</strong>
        </div>
        <div>
          <span class="muted">Buy &amp; hold</span>
          <strong class={`num ${trend(data.buy_and_hold_return)}`}>
            {formatPct(data.buy_and_hold_return, 1)}
          </strong>
        </div>
        <div>
          <span class="muted">Edge</span>
          <strong class={`num ${trend(edge)}`}>{formatPct(edge, 1)}</strong>
        </div>
      </div>
      <EquityCurve points={data.equity} />
      <dl class="metrics metrics--compact">
        <div class="metric">
          <dt>Trades</dt>
          <dd class="num">{formatNumber(trades, 0)}</dd>
        </div>
        <div class="metric">
          <dt>Win rate</dt>
          <dd class="num">{formatPct(data.win_rate, 0, false)}</dd>
        </div>
        <div class="metric" title={data.sharpe_basis}>
          <dt>Sharpe</dt>
          <dd class={`num ${trend(data.sharpe_annualized)}`}>{formatNumber(data.sharpe_annualized, 2)}</dd>
        </div>
        <div class="metric">
          <dt>Max DD</dt>
          <dd class="num down">
            {formatPct(data.max_drawdown === null ? null : -Math.abs(data.max_drawdown), 1)}
          </dd>
        </div>
      </dl>
      <p class="muted card__foot">
        {formatUtc(data.from, false)} → {formatUtc(data.to, false)} · fees {formatNumber(data.fees_bps, 1)}{" "}
        bps a side · {data.mode === "long_short" ? "long/short" : "long or flat"} · out of sample: each hour's
        forecast from models fitted before it
      </p>
      {data.sharpe_basis && <p class="muted card__foot">Sharpe: {data.sharpe_basis}.</p>}
    </>
  );
}

export function BacktestCard() {
  return (
    <Card title="Backtest" labelId="backtest-title" class="insight">
      <ResourceView
        state={backtest.state.value}
        missing="No backtest yet: it is computed from the models' rolling evaluation when they are trained."
        lines={5}
      >
        {(data) => <BacktestBody data={data} />}
      </ResourceView>
    </Card>
  );
}
