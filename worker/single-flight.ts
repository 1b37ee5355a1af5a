// One load at a time per key across this isolate's requests, sharing only the loaded VALUE. A request
// that finds a load under way never awaits a promise another request created, nor has that request
// settle one of its own: the runtime ties promises, timers and I/O to the request that made them, so a
// request resuming on another's promise fails ("Cannot perform I/O on behalf of a different
// request") or hangs once that request has ended (answered early, failed, cancelled by its client).
// The leader writes its outcome into a plain field; a follower checks it on timers of its own, and
// loads for itself when the leader failed or has not delivered within `patienceMs`. A load older than
// `patienceMs` is no longer joined. The leader's load is handed to its request's waitUntil, so that
// request's own early answer does not cut it off.
import { waitUntil } from "cloudflare:workers";

interface Flight<V> {
  since: number;
  outcome?: { value: V } | { failed: true };
}

/** How often a follower looks for the leader's outcome: soon at first, then every 20 ms. */
const POLL_MS = [1, 2, 4, 8, 16, 20];

export class SingleFlight<K, V> {
  private flights = new Map<K, Flight<V>>();

  constructor(private readonly patienceMs: number) {}

  /** `load()`'s value for `key`, from a load already under way in this isolate when there is one. */
  run(key: K, load: () => Promise<V>): Promise<V> {
    const flight = this.flights.get(key);
    if (flight && !flight.outcome && Date.now() - flight.since < this.patienceMs) {
      return this.follow(flight, load);
    }
    return this.lead(key, load);
  }

  /** Forgets the loads under way: requests from now on start their own (a write made them stale). */
  clear() {
    this.flights = new Map();
  }

  private lead(key: K, load: () => Promise<V>): Promise<V> {
    const flight: Flight<V> = { since: Date.now() };
    const flights = this.flights;
    flights.set(key, flight);
    const p = load();
    keepRunning(p);
    p.then(
      (value) => {
        flight.outcome = { value };
      },
      () => {
        flight.outcome = { failed: true };
      },
    ).finally(() => {
      if (flights.get(key) === flight) flights.delete(key);
    });
    return p;
  }

  private async follow(flight: Flight<V>, load: () => Promise<V>): Promise<V> {
    for (let i = 0; !flight.outcome && Date.now() - flight.since < this.patienceMs; i++) {
      await new Promise((r) => setTimeout(r, POLL_MS[Math.min(i, POLL_MS.length - 1)]));
    }
    const o = flight.outcome;
    return o && "value" in o ? o.value : load();
  }
}

/** Lets `p` finish after the current request has answered; outside a request there is nothing to keep. */
function keepRunning(p: Promise<unknown>) {
  try {
    waitUntil(p.catch(() => {}));
  } catch {
    // not inside a request (a test calling in directly): the caller awaits it anyway
  }
}
