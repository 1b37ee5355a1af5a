// The signals replayed out of sample, fees included: equity curve and the figures that matter.
import type { BacktestAnswer, Instrument } from "../api-types";
import { formatNumber, formatPct, formatUtc, trendOf } from "../lib/format";
import { annualiser, hourlyPerYear, MODEL_PERIOD_WORD, spanWords } from "../lib/ratio-labels";
import { backtest, selectedInstrument } from "../state/dashboard";
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

function Headline({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <span class="muted">{label}</span>
      <strong class={`num ${trendOf(value)}`}>{value}</strong>
    </div>
  );
}

function BacktestBody({ data, category }: { data: BacktestAnswer; category: Instrument["category"] }) {
  const trades = data.trades;
  const perYear = hourlyPerYear(category);
  const period = `${formatUtc(data.from, false)} → ${formatUtc(data.to, false)} UTC (${spanWords(data.from, data.to)})`;
  // Without a trade the strategy never left cash: its "edge" would only be buy and hold's return negated.
  const maxDd = formatPct(-Math.abs(data.max_drawdown), 1);
  const edge = trades > 0 ? formatPct(data.total_return - data.buy_and_hold_return, 1) : "—";
  return (
    <>
      <div class="backtest__headline">
        <Headline label="Strategy" value={formatPct(data.total_return, 1)} />
        <Headline label="Buy & hold" value={formatPct(data.buy_and_hold_return, 1)} />
        <Headline label="Edge" value={edge} />
      </div>
      {trades === 0 ? (
        <p class="backtest__none" role="note">
          No trades: the signal held all period, so the strategy stayed in cash and has no edge to measure.
        </p>
      ) : (
        <EquityCurve points={data.equity} />
      )}
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
          <dt>
            Sharpe{" "}
            <span class="metric__basis">
              {MODEL_PERIOD_WORD}, {annualiser(perYear)}
            </span>
          </dt>
          <dd class={`num ${trendOf(formatNumber(data.sharpe_annualized, 2))}`}>
            {formatNumber(data.sharpe_annualized, 2)}
          </dd>
        </div>
        <div class="metric">
          <dt>
            Max DD <span class="metric__basis">{MODEL_PERIOD_WORD} equity</span>
          </dt>
          <dd class={`num ${trendOf(maxDd)}`}>{maxDd}</dd>
        </div>
      </dl>
      <p class="muted card__foot">
        {period} · fees {formatNumber(data.fees_bps, 1)} bps a side ·{" "}
        {data.mode === "long_short" ? "long/short" : "long or flat"} · out of sample: each hour's forecast
        from models fitted before it
      </p>
      <p class="muted card__foot">
        Sharpe: mean / sd of the {MODEL_PERIOD_WORD} equity log returns over that period,{" "}
        {annualiser(perYear)} ({formatNumber(perYear, 0)}{" "}
        {MODEL_PERIOD_WORD === "hourly" ? "hours" : "periods"} a year), no risk-free rate.
      </p>
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
        {(data) => <BacktestBody data={data} category={selectedInstrument.value?.category ?? "crypto"} />}
      </ResourceView>
    </Card>
  );
}
