// Loaded model artifacts by model id, kept per isolate within CACHE_BYTES.models (worker/memory.ts).
import { type AnyKind, kindOf } from "../../core/models/registry";
import type { ModelRow } from "../db/models";
import { ByteLru, CACHE_BYTES, ENTRY_OVERHEAD } from "../memory";
import { SingleFlight } from "../single-flight";
import { loadArtifact } from "./artifact-store";
import "./tf-cpu"; // nets run on the CPU backend, selected before anything touches tfjs

/** A decoded artifact with the kind module that reads it (the model itself is opaque here). */
export interface LoadedModel {
  type: string;
  kind: AnyKind;
  model: unknown;
  bandZ: number;
  /** Estimated heap it holds: twice its artifact (the decoded weights and the model built on them). */
  bytes: number;
}

// Loaded models are kept as values; two requests arriving together load an artifact once (the second
// waits for the first's value, never on its promise: worker/single-flight.ts).
const models = new ByteLru<number, LoadedModel>(
  CACHE_BYTES.models,
  (m) => m.bytes,
  (m) => m.kind.dispose(m.model),
);
/** A request waits this long for another's load of the same artifact before it loads it itself. */
const LOAD_PATIENCE_MS = 10_000;
const loads = new SingleFlight<number, LoadedModel>(LOAD_PATIENCE_MS);

async function fetchModel(bucket: R2Bucket, row: ModelRow): Promise<LoadedModel> {
  if (!row.artifactKey) throw new Error(`model ${row.id} has no artifact`);
  const bytes = await loadArtifact(bucket, row.artifactKey);
  const kind = kindOf(row.modelType);
  const { model, bandZ } = await kind.decode(bytes).catch((err: Error) => {
    throw new Error(`artifact of model ${row.id}: ${err.message}`);
  });
  return { type: row.modelType, kind, model, bandZ, bytes: 2 * bytes.byteLength + ENTRY_OVERHEAD };
}

/** The model behind an `ml_models` row; ids are never reused, so a cached entry never goes stale. */
export async function loadModel(bucket: R2Bucket, row: ModelRow): Promise<LoadedModel> {
  const cached = models.get(row.id);
  if (cached) return cached;
  // A failed load is not kept: it is tried again on the next request.
  return loads.run(row.id, async () => {
    const m = await fetchModel(bucket, row);
    // Another request (past its patience) may have kept the same model meanwhile: keep one, and free
    // this copy, since a replaced entry is disposed while the request holding it may still use it.
    const kept = models.get(row.id);
    if (kept) {
      m.kind.dispose(m.model);
      return kept;
    }
    models.set(row.id, m);
    return m;
  });
}
