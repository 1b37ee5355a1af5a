// Isolate-level caches: loaded model artifacts by model id, and small LRU maps for computed answers.
import { type AnyKind, kindOf } from "../../core/models/registry";
import type { ModelRow } from "../db/models";
import { loadArtifact } from "./artifact-store";
import { MODEL_CACHE_SIZE } from "./insight-config";
import "./tf-cpu"; // nets run on the CPU backend, selected before anything touches tfjs

/** A Map that forgets its least recently used entry beyond `max`, telling `onEvict`. */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();
  constructor(
    readonly max: number,
    private readonly onEvict?: (value: V) => void,
  ) {}

  get size() {
    return this.map.size;
  }

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: K, value: V) {
    const old = this.map.get(key);
    this.map.delete(key);
    if (old !== undefined && old !== value) this.onEvict?.(old);
    this.map.set(key, value);
    while (this.map.size > this.max) {
      const [k, v] = this.map.entries().next().value as [K, V];
      this.map.delete(k);
      this.onEvict?.(v);
    }
  }

  delete(key: K) {
    this.map.delete(key);
  }
}

/** A decoded artifact with the kind module that reads it (the model itself is opaque here). */
export interface LoadedModel {
  type: string;
  kind: AnyKind;
  model: unknown;
  bandZ: number;
}

// Promises are cached so that two requests arriving together load an artifact once.
const models = new LruCache<number, Promise<LoadedModel>>(MODEL_CACHE_SIZE, (p) => {
  p.then((m) => m.kind.dispose(m.model)).catch(() => {});
});

async function fetchModel(bucket: R2Bucket, row: ModelRow): Promise<LoadedModel> {
  if (!row.artifactKey) throw new Error(`model ${row.id} has no artifact`);
  const bytes = await loadArtifact(bucket, row.artifactKey);
  const kind = kindOf(row.modelType);
  const { model, bandZ } = await kind.decode(bytes).catch((err: Error) => {
    throw new Error(`artifact of model ${row.id}: ${err.message}`);
  });
  return { type: row.modelType, kind, model, bandZ };
}

/** The model behind an `ml_models` row; ids are never reused, so a cached entry never goes stale. */
export function loadModel(bucket: R2Bucket, row: ModelRow): Promise<LoadedModel> {
  const cached = models.get(row.id);
  if (cached) return cached;
  const p = fetchModel(bucket, row);
  models.set(row.id, p);
  p.catch(() => models.delete(row.id)); // a failed load is retried on the next request
  return p;
}
