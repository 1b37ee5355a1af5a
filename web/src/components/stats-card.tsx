// Price statistics: returns over 1/7/30 days; volatility, Sharpe and worst drawdown over the daily window,
// each labelled with the returns it uses and how it is annualised.
import type { Instrument, StatsAnswer } from "../api-types";
import { formatAgo, formatNumber, formatPct, formatPrice, formatUtc, trendOf } from "../lib/format";
import { annualiser, dailyPerYear } from "../lib/ratio-labels";
import { selectedInstrument, stats } from "../state/dashboard";
import { quote } from "../state/quote";
import { ResourceView } from "./resource-view";
import { Card } from "./ui";

function Metric({
  label,
  basis,
  value,
  dir,
}: {
  label: string;
  basis?: string;
  value: string;
  dir?: string;
}) {
  return (
    <div class="metric">
      <dt>
        {label}
        {basis && <span class="metric__basis"> {basis}</span>}
      </dt>
      <dd class={`num ${dir ?? trendOf(value)}`}>{value}</dd>
    </div>
  );
}

function StatsBody({ data, category }: { data: StatsAnswer; category: Instrument["category"] }) {
  const r = data.returns ?? { "1d": null, "7d": null, "30d": null };
  const perYear = dailyPerYear(category);
  const days = data.window.daily_returns;
  const ann = `daily, ${annualiser(perYear)}`;
  const { from, to } = data.window;
  // Price and 24 h follow the live minute; the rest is counted over whole days.
  const q = quote.value;
  return (
    <>
      <dl class="metrics">
        <Metric
          label="Price"
          value={formatPrice(q?.price ?? data.price, selectedInstrument.value?.tick_size)}
          dir=""
        />
        <Metric label="24 h" value={formatPct(q ? q.change : data.change_24h)} />
        <Metric label="7 days" value={formatPct(r["7d"])} />
        <Metric label="30 days" value={formatPct(r["30d"])} />
        <Metric
          label="Volatility"
          basis={ann}
          value={formatPct(data.volatility_annualized, 1, false)}
          dir=""
        />
        <Metric label="Sharpe" basis={ann} value={formatNumber(data.sharpe_annualized, 2)} />
        <Metric
          label="Max drawdown"
          basis={`${days} d`}
          value={formatPct(data.max_drawdown === null ? null : -Math.abs(data.max_drawdown), 1)}
        />
      </dl>
      <p class="muted card__foot">
        Volatility, Sharpe and drawdown: {days} daily log returns
        {from !== null && to !== null && ` of the closes ${formatUtc(from, false)} → ${formatUtc(to, false)}`}
        , annualised {annualiser(perYear)} ({perYear}{" "}
        {category === "forex" ? "trading days" : "days: crypto trades daily"}), no risk-free rate. As of{" "}
        {formatAgo(data.as_of)}.
      </p>
    </>
  );
}

export function StatsCard() {
  return (
    <Card title="Statistics" labelId="stats-title" class="insight">
      <ResourceView state={stats.state.value} missing="No statistics yet." lines={5}>
        {(data) => <StatsBody data={data} category={selectedInstrument.value?.category ?? "crypto"} />}
      </ResourceView>
    </Card>
  );
}
