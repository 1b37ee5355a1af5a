// Isolate-level memo of D1 facts read on every request of the hot routes (see FACTS_TTL_MS): each
// entry lives at most `ttlMs`, concurrent lookups share one query, failed lookups are not kept, and a
// writer forgets a whole topic at once, so this isolate never serves its own writes late. What is kept
// and shared is the looked-up VALUE, never a promise: a request that joins a lookup under way waits on
// a promise of its own (worker/single-flight.ts), so a request that ended early (answered, failed,
// cancelled by its client) cannot leave the others waiting for I/O that will never finish.

import { untilAdmitted } from "../admission";
import { FACTS_TTL_MS } from "../config";
import { SingleFlight } from "../single-flight";

/** What a write can change: users (token versions), profiles, stored candles, model versions. */
export type Topic = "users" | "profiles" | "candles" | "models";

/** How long a request waits on another request's lookup before it looks up for itself. */
export const JOIN_PATIENCE_MS = 1_500;

const byTopic = new Map<Topic, Set<Memo<unknown, unknown>>>();

export class Memo<K, V> {
  private readonly map = new Map<K, { until: number; value: V }>();
  private readonly flights = new SingleFlight<K, V>(JOIN_PATIENCE_MS);
  /** Bumped by every forget: a lookup started before it is answered but not kept. */
  private generation = 0;

  constructor(
    topics: readonly Topic[],
    private readonly max = 1024,
    private readonly ttlMs = FACTS_TTL_MS,
  ) {
    for (const t of topics) {
      const set = byTopic.get(t) ?? new Set();
      set.add(this as Memo<unknown, unknown>);
      byTopic.set(t, set);
    }
  }

  /**
   * The value of `key` looked up within the last `ttlMs`, or a new lookup by `load`. A lookup whose
   * value `keep` rejects (a missing row) is answered but not kept, so it is asked again next time.
   * A miss is a read: a request admitted before work waits for its admission first (and never makes
   * another request share a lookup that its refusal would fail).
   */
  async get(key: K, load: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
    const hit = this.map.get(key);
    if (hit && hit.until > Date.now()) return hit.value;
    await untilAdmitted();
    const again = this.map.get(key);
    if (again && again.until > Date.now()) return again.value;
    const generation = this.generation;
    return this.flights.run(key, async () => {
      const started = Date.now();
      const value = await load();
      if (generation === this.generation && keep(value)) this.set(key, value, started + this.ttlMs);
      return value;
    });
  }

  delete(key: K) {
    this.map.delete(key);
  }

  clear() {
    this.generation++;
    this.map.clear();
    this.flights.clear();
  }

  private set(key: K, value: V, until: number) {
    this.map.delete(key);
    this.map.set(key, { until, value });
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }
}

/** Forgets every memo of `topic` in this isolate (called by the writers in worker/db and market). */
export function forget(topic: Topic) {
  for (const m of byTopic.get(topic) ?? []) m.clear();
}
