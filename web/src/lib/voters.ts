// Which models may vote in the signal, by core's vote rule (Holm's test of the direction models'
// one-sided DM p-values at the family-wise rate, and a pooled skill above zero), read from the
// evaluation metrics the forecasts come with: the chips mark them, and the signal card tells a hold
// with no voter (no evidence of an edge) from a voter whose confidence is not calibrated yet.
import { kindInfo } from "../../../core/models/kind-info";
import { decide, type Vote } from "../../../core/models/vote";
import type { ModelForecast } from "../api-types";

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** The model types that may vote (their expected returns do not matter to who votes). */
export function votersOf(models: readonly Pick<ModelForecast, "model_type" | "metrics">[]): Set<string> {
  const votes: Vote[] = models
    .filter((m) => kindInfo(m.model_type)?.direction)
    .map((m) => ({
      model: m.model_type,
      expectedReturn: 0,
      skill: num(m.metrics?.skill),
      pValue: num(m.metrics?.dm_pvalue),
    }));
  return new Set(decide(votes, null).voters.map((v) => v.model));
}
