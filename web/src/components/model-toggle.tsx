// One forecasting model's chip above the chart: shows or hides its forecast, and says how it scored out
// of sample, each number with its label (also on a phone). A price model shows its skill against the
// random walk, its Diebold-Mariano p-value and its band's coverage; a volatility model (core's kind
// info) forecasts no price, so it shows its QLIKE against the EWMA benchmark's and that test's p-value.
import type { ModelMetrics } from "../api-types";
import { type Figure, pText, pTone, shownTone } from "../lib/figures";
import type { ForecastSummary } from "../lib/forecast-overlay";
import { formatNumber, formatPct } from "../lib/format";
import { modelLook } from "../lib/models";
import { toggleModel } from "../state/dashboard";

const STATE_NOTE: Record<string, string> = {
  not_price: "not a price path",
  too_short: "horizon shorter than one candle",
  no_line: "nothing after the last candle",
};

function priceFigures(x: ModelMetrics): { figures: Figure[]; title: string[] } {
  const folds = x.folds?.length;
  const figures: Figure[] = [];
  const title: string[] = [];
  if (typeof x.skill === "number") {
    figures.push({ word: "skill", value: formatPct(x.skill, 2), tone: shownTone(formatPct(x.skill, 2)) });
    title.push(
      `skill vs the random walk ${formatPct(x.skill, 2)}${folds ? ` over ${folds} rolling folds` : ""}`,
    );
  }
  if (typeof x.dm_pvalue === "number") {
    figures.push({ word: "p", value: pText(x.dm_pvalue), tone: pTone(x.dm_pvalue) });
    title.push(`one-sided Diebold-Mariano p ${pText(x.dm_pvalue)}`);
  }
  if (typeof x.coverage_95 === "number") {
    figures.push({ word: "95% band held", value: formatPct(x.coverage_95, 0, false) });
    title.push(`95% band held ${formatPct(x.coverage_95, 1, false)} of held-out hours`);
  }
  if (typeof x.directional_accuracy === "number")
    title.push(`direction right ${formatPct(x.directional_accuracy, 0, false)}`);
  return { figures, title };
}

function volatilityFigures(x: ModelMetrics): { figures: Figure[]; title: string[] } {
  const figures: Figure[] = [];
  const title = ["a volatility model: it forecasts no price, only how far the price may move"];
  if (typeof x.qlike === "number" && typeof x.naive_qlike === "number") {
    const better = x.qlike < x.naive_qlike;
    figures.push({ word: "QLIKE", value: formatNumber(x.qlike, 3), tone: better ? "up" : "down" });
    figures.push({ word: "EWMA", value: formatNumber(x.naive_qlike, 3) });
    title.push(
      `QLIKE ${formatNumber(x.qlike, 4)} against ${formatNumber(x.naive_qlike, 4)} for RiskMetrics' EWMA variance (lower is better)`,
    );
  }
  if (typeof x.qlike_dm_pvalue === "number") {
    figures.push({ word: "p", value: pText(x.qlike_dm_pvalue), tone: pTone(x.qlike_dm_pvalue) });
    title.push(`one-sided Diebold-Mariano p ${pText(x.qlike_dm_pvalue)} of a lower QLIKE than the EWMA's`);
  }
  return { figures, title };
}

export function ModelToggle({
  summary,
  votes,
  quiet = false,
}: {
  summary: ForecastSummary;
  votes: boolean;
  /** One note says for every chip why nothing is drawn: the chip keeps its figures only. */
  quiet?: boolean;
}) {
  const { model, color, label, state } = summary;
  const drawable = state === "drawn" || state === "hidden";
  const x = model.metrics ?? {};
  const { figures, title } = modelLook(model.model_type).volatility ? volatilityFigures(x) : priceFigures(x);
  const horizon = x.horizon !== undefined ? [`scored ${x.horizon} × ${x.timeframe ?? ""} ahead`] : [];
  const vote = votes ? ["votes in the signal"] : [];
  return (
    <button
      type="button"
      class={`model-toggle ${state === "drawn" ? "is-on" : ""}`}
      style={{ "--model-color": color }}
      aria-pressed={state === "drawn"}
      disabled={!drawable}
      title={[`${label} v${model.version}`, ...vote, ...title, ...horizon].join(" · ")}
      onClick={() => toggleModel(model.model_type)}
    >
      <span class="model-toggle__swatch" aria-hidden="true" />
      <span class="model-toggle__label">{label}</span>
      {votes && <span class="model-toggle__vote">votes</span>}
      {figures.map((f) => (
        <span key={f.word} class={`model-toggle__metric ${f.tone ?? ""}`}>
          <span class="model-toggle__word">{f.word} </span>
          {f.value}
        </span>
      ))}
      {!drawable && !quiet && <span class="model-toggle__note">{STATE_NOTE[state]}</span>}
    </button>
  );
}
