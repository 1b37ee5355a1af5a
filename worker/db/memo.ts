// Isolate-level memo of D1 facts read on every request of the hot routes (see FACTS_TTL_MS): each
// entry lives at most `ttlMs`, concurrent lookups share one query, failed lookups are not kept, and a
// writer forgets a whole topic at once, so this isolate never serves its own writes late.

import { untilAdmitted } from "../admission";
import { FACTS_TTL_MS } from "../config";

/** What a write can change: users (token versions), profiles, stored candles, model versions. */
export type Topic = "users" | "profiles" | "candles" | "models";

const byTopic = new Map<Topic, Set<Memo<unknown, unknown>>>();

export class Memo<K, V> {
  private readonly map = new Map<K, { until: number; value: Promise<V> }>();

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
  get(key: K, load: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
    const now = Date.now();
    const hit = this.map.get(key);
    if (hit && hit.until > now) return hit.value;
    const gate = untilAdmitted();
    if (gate) return gate.then(() => this.get(key, load, keep));
    const value = load();
    const entry = { until: now + this.ttlMs, value };
    this.map.delete(key);
    this.map.set(key, entry);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
    const drop = () => {
      if (this.map.get(key) === entry) this.map.delete(key);
    };
    value.then((v) => (keep(v) ? undefined : drop()), drop);
    return value;
  }

  delete(key: K) {
    this.map.delete(key);
  }

  clear() {
    this.map.clear();
  }
}

/** Forgets every memo of `topic` in this isolate (called by the writers in worker/db and market). */
export function forget(topic: Topic) {
  for (const m of byTopic.get(topic) ?? []) m.clear();
}
