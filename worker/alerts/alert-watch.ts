// An instrument's alerts, evaluated where its candles arrive: its InstrumentFeed object holds a copy of
// the instrument's enabled alerts in its own storage (read from D1 once, again only after an alert of
// this instrument changed), the closes of the last hour (change_pct), the hour's forecast band and the
// last signal. Each call evaluates only this instrument's alerts; a minute already evaluated is skipped,
// and an event is stored under a unique key (deliver.ts), so a candle delivered twice notifies once.
import { ALERT_LIMITS, MINUTE_KINDS, step } from "../../core/alerts/rules";
import type { Candle } from "../../core/candles/types";
import { instrumentAlerts, type WatchedAlert } from "../db/alerts";
import { getDb } from "../db/client";
import { type ArmedChange, type Fired, storeEvents } from "./deliver";

const HOUR = 3600;
/** Re-read D1 at least this often even without a change notice (one lost notice cannot last). */
const ALERTS_TTL_MS = 15 * 60_000;
const CLOSES_KEPT = ALERT_LIMITS.changeWindowMinutes + 5;

interface Held {
  alerts: WatchedAlert[];
  loadedAt: number;
}
export interface BandPoint {
  time: number;
  lower: number;
  upper: number;
}
export interface HourFacts {
  origin: number;
  signal: string | null;
  band: BandPoint[];
}

export class AlertWatch {
  /** When the stored copy was read from D1 (kept as it is when only armed states change). */
  private loadedAt = 0;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly env: Env,
  ) {}

  /** This instrument's enabled alerts, from storage, or D1 when changed or old. */
  async alerts(symbol: string): Promise<WatchedAlert[]> {
    const held = await this.storage.get<Held>("alerts");
    if (held && Date.now() - held.loadedAt < ALERTS_TTL_MS) {
      this.loadedAt = held.loadedAt;
      return held.alerts;
    }
    const alerts = await instrumentAlerts(getDb(this.env.DB), symbol);
    this.loadedAt = Date.now();
    await this.keep(alerts);
    return alerts;
  }

  /** An alert of this instrument was created, changed or deleted: read them again next time. */
  async changed() {
    await this.storage.delete("alerts");
  }

  /** Evaluates newly stored 1m candles (oldest first); returns the notifications stored now. */
  async candles(symbol: string, candles: readonly Candle[]) {
    const last = (await this.storage.get<number>("last")) ?? 0;
    const fresh = candles.filter((c) => c.time > last);
    if (fresh.length === 0) return [];
    const alerts = await this.alerts(symbol);
    const closes = new Map<number, number>((await this.storage.get<[number, number][]>("closes")) ?? []);
    for (const c of fresh) closes.set(c.time, c.close);
    const kept = [...closes].sort((a, b) => a[0] - b[0]).slice(-CLOSES_KEPT);
    const band = (await this.storage.get<BandPoint[]>("band")) ?? [];
    const fired: Fired[] = [];
    const state = new Map(alerts.map((a) => [a.id, a.armed]));
    const before = new Map(state);
    for (const c of fresh) {
      const closeBefore = closes.get(c.time - ALERT_LIMITS.changeWindowMinutes * 60) ?? null;
      const hour = band.find((b) => b.time === c.time - (c.time % HOUR)) ?? null;
      const o = { time: c.time, close: c.close, closeBefore, band: hour };
      for (const a of alerts) {
        if (!MINUTE_KINDS.includes(a.kind)) continue;
        const r = step({ kind: a.kind, value: a.value, armed: state.get(a.id) ?? null }, o);
        state.set(a.id, r.armed);
        if (!r.fired) continue;
        fired.push({
          alertId: a.id,
          userId: a.userId,
          eventKey: `${a.id}:${c.time}`,
          symbol,
          kind: a.kind,
          value: a.value,
          time: c.time,
          close: c.close,
          changePct: closeBefore ? (c.close / closeBefore - 1) * 100 : null,
          band: hour,
        });
      }
    }
    // data_stale alerts re-arm with any new candle.
    for (const a of alerts) if (a.kind === "data_stale" && state.get(a.id) !== true) state.set(a.id, true);
    const stored = await this.persist(alerts, before, state, fired);
    await this.storage.put({ last: fresh[fresh.length - 1].time, closes: kept, arrival: Date.now() });
    await this.scheduleStaleCheck(alerts);
    return stored;
  }

  /** The hour closed: its signal and the band forecast for the hour now running. */
  async hour(symbol: string, facts: HourFacts) {
    await this.storage.put("band", facts.band);
    if (facts.signal === null) return [];
    const prev = await this.storage.get<{ origin: number; signal: string }>("signal");
    if (prev && prev.origin >= facts.origin) return [];
    await this.storage.put("signal", { origin: facts.origin, signal: facts.signal });
    if (!prev || prev.signal === facts.signal) return [];
    const alerts = (await this.alerts(symbol)).filter((a) => a.kind === "signal_change");
    const fired: Fired[] = alerts.map((a) => ({
      alertId: a.id,
      userId: a.userId,
      eventKey: `${a.id}:s:${facts.origin}`,
      symbol,
      kind: a.kind,
      value: null,
      time: facts.origin + HOUR,
      signal: { from: prev.signal, to: facts.signal as string },
    }));
    return this.store(fired, []);
  }

  /** The object's alarm: data_stale alerts whose silence has lasted long enough fire. */
  async staleCheck(symbol: string) {
    const arrival = await this.storage.get<number>("arrival");
    const last = await this.storage.get<number>("last");
    if (arrival === undefined || last === undefined) return [];
    const alerts = await this.alerts(symbol);
    const silent = Math.floor((Date.now() - arrival) / 60_000);
    const fired: Fired[] = [];
    const changes: ArmedChange[] = [];
    for (const a of alerts) {
      if (a.kind !== "data_stale" || a.armed === false) continue;
      if (silent < (a.value ?? ALERT_LIMITS.staleMinutes.default)) continue;
      changes.push({ id: a.id, armed: false, fired: true });
      a.armed = false;
      fired.push({
        ...{ alertId: a.id, userId: a.userId, eventKey: `${a.id}:d:${last}`, symbol },
        ...{ kind: a.kind, value: a.value, time: last, silentMinutes: silent },
      });
    }
    const stored = await this.store(fired, changes);
    await this.keep(alerts);
    await this.scheduleStaleCheck(alerts);
    return stored;
  }

  /** The next data_stale deadline as the object's alarm (none when no such alert waits). */
  private async scheduleStaleCheck(alerts: readonly WatchedAlert[]) {
    const arrival = (await this.storage.get<number>("arrival")) ?? Date.now();
    const waits = alerts
      .filter((a) => a.kind === "data_stale" && a.armed !== false)
      .map((a) => arrival + (a.value ?? ALERT_LIMITS.staleMinutes.default) * 60_000);
    if (waits.length) await this.storage.setAlarm(Math.min(...waits));
    else await this.storage.deleteAlarm();
  }

  /** Saves what changed (armed states, events) to D1 and the stored copy. */
  private async persist(
    alerts: WatchedAlert[],
    before: Map<number, boolean | null>,
    state: Map<number, boolean | null>,
    fired: readonly Fired[],
  ) {
    const firedIds = new Set(fired.map((f) => f.alertId));
    const changes: ArmedChange[] = [];
    for (const a of alerts) {
      const now = state.get(a.id) ?? null;
      if (now !== before.get(a.id) || firedIds.has(a.id))
        changes.push({ id: a.id, armed: now, fired: firedIds.has(a.id) });
      a.armed = now;
    }
    if (changes.length === 0) return [];
    const stored = await this.store(fired, changes);
    await this.keep(alerts);
    return stored;
  }

  /** Stores events and states; on failure the copy of the alerts is dropped (D1 is read again next time). */
  private async store(fired: readonly Fired[], changes: readonly ArmedChange[]) {
    try {
      return await storeEvents(this.env.DB, fired, changes);
    } catch (err) {
      await this.changed();
      throw err;
    }
  }

  private keep(alerts: WatchedAlert[]) {
    return this.storage.put("alerts", { alerts, loadedAt: this.loadedAt } satisfies Held);
  }
}
