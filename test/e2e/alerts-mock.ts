// Test-only: the alerts, notifications and push routes of the mocked API (mock-api.ts), answering from a
// state a test can read and change, every answer parsed by the contract's schema. `fire` evaluates the
// stored alerts of an instrument on a candle with the real crossing rules (core/alerts/rules.ts) and
// sends what fired over the page's user channel, as the Worker does (alerts/deliver.ts).
import type { Route, WebSocketRoute } from "playwright-core";
import { step } from "../../core/alerts/rules";
import type { Candle } from "../../core/candles/types";
import type { AlertAnswer, NotificationAnswer } from "../../worker/contract";
import { AlertCreate, AlertList, MarkedRead, NotificationList } from "../../worker/contract/alerts";
import { UserEvent } from "../../worker/contract/live";

export interface AlertsState {
  alerts: AlertAnswer[];
  notifications: NotificationAnswer[];
  /** Armed state per alert id (null: not evaluated yet). */
  armed: Map<number, boolean | null>;
  nextId: number;
}

export const alertsState = (): AlertsState => ({
  alerts: [],
  notifications: [],
  armed: new Map(),
  nextId: 1,
});

const json = (route: Route, body: unknown, status = 200) =>
  route.fulfill({ status, contentType: "application/json", body: JSON.stringify(body) });

/** Answers the route if it is one of these; false otherwise. */
export async function answerAlerts(route: Route, url: URL, s: AlertsState): Promise<boolean> {
  const p = url.pathname;
  const method = route.request().method();
  const unread = () => s.notifications.filter((n) => !n.read).length;
  if (p === "/api/alerts" && method === "GET")
    return json(route, AlertList.parse({ alerts: s.alerts, limit: 50 })).then(() => true);
  if (p === "/api/alerts" && method === "POST") {
    const body = AlertCreate.safeParse(route.request().postDataJSON());
    if (!body.success)
      return json(route, { error: { code: "validation_error", message: body.error.message } }, 400).then(
        () => true,
      );
    const a: AlertAnswer = {
      id: s.nextId++,
      symbol: body.data.symbol.toUpperCase(),
      kind: body.data.kind,
      value: body.data.value ?? null,
      enabled: true,
      state: "waiting",
      last_fired_at: null,
      created_at: new Date().toISOString(),
    };
    s.alerts.push(a);
    s.armed.set(a.id, null);
    return json(route, a, 201).then(() => true);
  }
  const one = p.match(/^\/api\/alerts\/(\d+)$/);
  if (one && method === "DELETE") {
    s.alerts = s.alerts.filter((a) => a.id !== Number(one[1]));
    return route.fulfill({ status: 204 }).then(() => true);
  }
  if (p === "/api/notifications")
    return json(route, NotificationList.parse({ notifications: s.notifications, unread: unread() })).then(
      () => true,
    );
  if (p === "/api/notifications/read") {
    const marked = unread();
    s.notifications = s.notifications.map((n) => ({ ...n, read: true }));
    return json(route, MarkedRead.parse({ marked, unread: 0 })).then(() => true);
  }
  if (p === "/api/push/key")
    return json(route, { error: { code: "push_unavailable", message: "not in the mock" } }, 503).then(
      () => true,
    );
  return false;
}

/** Evaluates the alerts of `symbol` on its `candle`; stores what fired and sends it over the channel. */
export function fire(s: AlertsState, channel: WebSocketRoute | null, symbol: string, candle: Candle) {
  for (const a of s.alerts) {
    if (a.symbol !== symbol) continue;
    const r = step({ kind: a.kind, value: a.value, armed: s.armed.get(a.id) ?? null }, { ...candle });
    s.armed.set(a.id, r.armed);
    if (!r.fired) continue;
    const n: NotificationAnswer = {
      id: s.notifications.length + 1,
      alert_id: a.id,
      symbol,
      kind: a.kind,
      title: `${symbol} above ${a.value}`,
      body: `The minute closed at ${candle.close}`,
      event_time: candle.time,
      created_at: new Date().toISOString(),
      read: false,
    };
    s.notifications.unshift(n);
    channel?.send(JSON.stringify(UserEvent.parse({ type: "notification", notification: n })));
  }
}
