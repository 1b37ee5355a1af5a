// Price statistics: returns over 1/7/30 days, annualised volatility and Sharpe, worst drawdown.
import type { StatsAnswer } from "../api-types";
import { formatAgo, formatNumber, formatPct, formatPrice, trend } from "../lib/format";
import { stats } from "../state/dashboard";
import { ResourceView } from "./resource-view";
import { Card } from "./ui";

function Metric({ label, value, dir }: { label: string; value: string; dir?: string }) {
  return (
    <div class="metric">
      <dt>{label}</dt>
      <dd class={`num ${dir ?? ""}`}>{value}</dd>
    </div>
  );
}

function StatsBody({ data }: { data: StatsAnswer }) {
  const r = data.returns ?? { "1d": null, "7d": null, "30d": null };
  return (
    <>
      <dl class="metrics">
        <Metric label="Price" value={formatPrice(data.price)} />
        <Metric label="24 h" value={formatPct(data.change_24h)} dir={trend(data.change_24h)} />
        <Metric label="1 day" value={formatPct(r["1d"])} dir={trend(r["1d"])} />
        <Metric label="7 days" value={formatPct(r["7d"])} dir={trend(r["7d"])} />
        <Metric label="30 days" value={formatPct(r["30d"])} dir={trend(r["30d"])} />
        <Metric label="Volatility (ann.)" value={formatPct(data.volatility_annualized, 1, false)} />
        <Metric
          label="Sharpe (ann.)"
          value={formatNumber(data.sharpe_annualized, 2)}
          dir={trend(data.sharpe_annualized)}
        />
        <Metric
          label="Max drawdown"
          value={formatPct(data.max_drawdown === null ? null : -Math.abs(data.max_drawdown), 1)}
          dir="down"
        />
      </dl>
      <p class="muted card__foot">As of {formatAgo(data.as_of)}</p>
    </>
  );
}

export function StatsCard() {
  return (
    <Card title="Statistics" labelId="stats-title" class="insight">
      <ResourceView state={stats.state.value} missing="No statistics yet." lines={5}>
        {(data) => <StatsBody data={data} />}
      </ResourceView>
    </Card>
  );
}
