// Test-only: the one mocked API of the browser tests and screenshots. It answers /api/* inside the page
// (page.route) and the sockets (page.routeWebSocket) from rows a fixture builds and a test may change,
// and parses every answer with the contract's own schema first, so no fixture can drift from the API.
import type { Page, Route, WebSocketRoute } from "playwright-core";
import type { z } from "zod";
import { TIMEFRAMES, type Timeframe } from "../../core/candles/timeframes";
import type { Candle } from "../../core/candles/types";
import { AdminSession, Me, UserSession } from "../../worker/contract/accounts";
import { CandlesAnswer } from "../../worker/contract/candles";
import { Backtest, Predictions, Signal, SignalHistory, Stats } from "../../worker/contract/insights";
import { Instrument } from "../../worker/contract/instruments";
import { Job, Trainer } from "../../worker/contract/jobs";
import { AdminTrackRecord, TrackRecord } from "../../worker/contract/ledger";
import { LiveEvent, LiveTicket, UserEvent } from "../../worker/contract/live";
import { Model } from "../../worker/contract/models";
import { DataStatus, Profile } from "../../worker/contract/profiles";
import { ProgressEvent, WsTicket } from "../../worker/contract/progress";
import { StarAnswer, Watchlist } from "../../worker/contract/watchlist";
import { type AlertsState, alertsState, answerAlerts } from "./alerts-mock";

/** One instrument's answers. */
export interface MarketAnswers {
  candles(tf: Timeframe, limit: number, end?: number): Candle[];
  predictions(): unknown;
  signal(): unknown;
  stats(): unknown;
  backtest(): unknown;
  history(from: number, to: number): unknown;
  /** GET .../track-record; absent: 404, as for an instrument not trained yet. */
  trackRecord?(): unknown;
  /** GET .../ledger?format=csv: the entries whose origin lies in [from, to]. */
  ledgerCsv?(from: number, to: number): string | Promise<string>;
}

/** What the mocked server holds: read at each request, so a test may change it while the page runs. */
export interface ApiData {
  instruments: unknown[];
  markets: Map<string, MarketAnswers>;
  profiles: unknown[];
  dataStatus?: (profileId: number) => unknown;
  /** GET /api/admin/profiles/:id/track-record (null: 404). */
  adminTrackRecord?: (profileId: number) => unknown;
  jobs: unknown[];
  models: unknown[];
  trainers: unknown[];
  /** Alerts and notifications (test/e2e/alerts-mock.ts); none when absent. */
  alerts?: AlertsState;
  /** The user's starred symbols (the watchlist's stars; PUT/DELETE change it). */
  stars?: Set<string>;
  /** Sent on each admin socket as it opens, each after its delay (ms; 0 at once). */
  hubEvents?: { afterMs: number; event: unknown }[];
}

export interface MockApi {
  /** Every call that reached the mock, "METHOD path?query" and "WS url", for assertions. */
  log: string[];
  /** Every request fails (net::ERR_INTERNET_DISCONNECTED) and live sockets close while true. */
  down: boolean;
  /** Answer GET /api/instruments with this HTTP status and the contract's error body. */
  instrumentsStatus: number | null;
  /** The ProgressHub accepts sockets while true. */
  adminSocketUp: boolean;
  /** The page's open live socket (its symbol's), if any. */
  socket: WebSocketRoute | null;
  /** The page's open user channel (notifications), if any. */
  channel: WebSocketRoute | null;
  adminSockets: WebSocketRoute[];
  /** Pushes a closed 1m candle over the open live socket. */
  pushCandle(candle: Candle): void;
}

export const USER = { id: 7, email: "ada@desk.example", created_at: "2024-01-15T09:30:00.000Z" };
export const ADMIN = {
  id: 1,
  email: "ops@desk.example",
  name: "Grace Ops",
  created_at: "2023-11-02T08:00:00.000Z",
};

const send = (route: Route, schema: z.ZodType, body: unknown, status = 200) =>
  route.fulfill({ status, contentType: "application/json", body: JSON.stringify(schema.parse(body)) });

const sendAsync = async (route: Route, schema: z.ZodType, body: unknown) => send(route, schema, await body);

const error = (route: Route, status: number, code: string, message: string) =>
  route.fulfill({
    status,
    contentType: "application/json",
    body: JSON.stringify({ error: { code, message } }),
  });

async function answerMarket(route: Route, url: URL, data: ApiData): Promise<boolean> {
  const history = url.pathname.match(/^\/api\/instruments\/([^/]+)\/signals\/history$/);
  const one = url.pathname.match(
    /^\/api\/instruments\/([^/]+)\/(data\/([^/]+)|predictions|signals|stats|backtest|track-record|ledger)$/,
  );
  const symbol = decodeURIComponent((history ?? one)?.[1] ?? "");
  if (!symbol || symbol === "ws") return false;
  await answerOne(route, url, data, symbol, history ? "history" : one![2], one?.[3]);
  return true;
}

function answerOne(route: Route, url: URL, data: ApiData, symbol: string, what: string, tf?: string) {
  const m = data.markets.get(symbol);
  const missing = () => error(route, 404, "not_found", "instrument not found");
  if (!m) return missing();
  const query = (name: string) => url.searchParams.get(name);
  if (what === "history")
    return send(route, SignalHistory, m.history(Number(query("from")), Number(query("to"))));
  if (what === "track-record")
    return m.trackRecord ? sendAsync(route, TrackRecord, m.trackRecord()) : missing();
  if (what === "ledger") {
    if (!m.ledgerCsv) return missing();
    if (query("format") !== "csv")
      return error(route, 400, "mock", "the mocked ledger answers format=csv only");
    return Promise.resolve(m.ledgerCsv(Number(query("from")), Number(query("to")))).then((csv) =>
      route.fulfill({ status: 200, contentType: "text/csv; charset=utf-8", body: csv }),
    );
  }
  if (tf) {
    if (!TIMEFRAMES.includes(tf as Timeframe)) return error(route, 400, "bad_timeframe", "unknown timeframe");
    const end = query("end");
    const candles = m.candles(
      tf as Timeframe,
      Number(query("limit") ?? 100),
      end === null ? undefined : Number(end),
    );
    return send(route, CandlesAnswer, { symbol, timeframe: tf, candles });
  }
  if (what === "predictions") return send(route, Predictions, m.predictions());
  if (what === "signals") return send(route, Signal, m.signal());
  if (what === "stats") return send(route, Stats, m.stats());
  return send(route, Backtest, m.backtest());
}

/** GET /api/watchlist from the instruments and their markets, and the stars a test or the page set. */
function answerWatchlist(route: Route, url: URL, data: ApiData): Promise<void> | null {
  data.stars ??= new Set();
  const stars = data.stars;
  const star = url.pathname.match(/^\/api\/watchlist\/([^/]+)\/star$/);
  if (star) {
    const symbol = decodeURIComponent(star[1]).toUpperCase();
    if (!data.markets.has(symbol))
      return error(route, 404, "instrument_not_found", `No trained instrument ${symbol}`);
    const on = route.request().method() === "PUT";
    if (on) stars.add(symbol);
    else stars.delete(symbol);
    return send(route, StarAnswer, { symbol, starred: on });
  }
  if (url.pathname !== "/api/watchlist") return null;
  const rows = (data.instruments as { symbol: string }[]).map(({ symbol }) => {
    const m = data.markets.get(symbol);
    const signal = (m?.signal() as { signal?: string } | undefined)?.signal ?? null;
    const sparkline = (m?.candles("1h", 24) ?? []).map((c) => ({ time: c.time, close: c.close }));
    return { symbol, starred: stars.has(symbol), signal, sparkline };
  });
  return send(route, Watchlist, { instruments: rows });
}

function answerAdmin(route: Route, url: URL, data: ApiData): Promise<void> | null {
  const p = url.pathname;
  const query = (name: string) => url.searchParams.get(name);
  const list = (schema: z.ZodType, rows: unknown[]) => send(route, schema.array(), rows);
  if (p === "/api/admin/auth/login")
    return send(route, AdminSession, { access_token: "admin-token", token_type: "bearer", admin: ADMIN });
  if (p === "/api/admin/profiles") return list(Profile, data.profiles);
  const record = p.match(/^\/api\/admin\/profiles\/(\d+)\/track-record$/);
  if (record) {
    const answer = data.adminTrackRecord?.(Number(record[1]));
    return answer
      ? sendAsync(route, AdminTrackRecord, answer)
      : error(route, 404, "not_found", "no track record");
  }
  const status = p.match(/^\/api\/admin\/profiles\/(\d+)\/data-status$/);
  if (status) {
    const answer = data.dataStatus?.(Number(status[1]));
    return answer ? send(route, DataStatus, answer) : error(route, 404, "not_found", "profile not found");
  }
  const jobs = data.jobs.map((j) => Job.parse(j));
  if (p === "/api/admin/jobs") {
    const before = Number(query("before") ?? Number.POSITIVE_INFINITY);
    const wanted = jobs.filter((j) => j.id < before && (!query("status") || j.status === query("status")));
    return list(Job, wanted.slice(0, Number(query("limit") ?? 100)));
  }
  const job = p.match(/^\/api\/admin\/jobs\/(\d+)$/);
  if (job) {
    const row = jobs.find((j) => j.id === Number(job[1]));
    return row ? send(route, Job, row) : error(route, 404, "not_found", "job not found");
  }
  if (p === "/api/admin/trainers") return list(Trainer, data.trainers);
  if (p === "/api/admin/models") {
    const id = query("profile_id");
    const models = data.models.map((m) => Model.parse(m));
    return list(
      Model,
      models.filter((m) => id === null || m.profile_id === Number(id)),
    );
  }
  if (p === "/api/admin/ws/ticket") return send(route, WsTicket, { ticket: "ticket-1" });
  return null;
}

export async function mockApi(page: Page, data: ApiData, setup: Partial<MockApi> = {}): Promise<MockApi> {
  const mock: MockApi = {
    log: [],
    down: false,
    instrumentsStatus: null,
    adminSocketUp: true,
    socket: null,
    channel: null,
    adminSockets: [],
    pushCandle(candle) {
      const symbol = mock.socket && decodeURIComponent(new URL(mock.socket.url()).pathname.split("/")[3]);
      mock.socket?.send(JSON.stringify(LiveEvent.parse({ type: "candle", symbol, candle })));
    },
    ...setup,
  };
  await page.route("**/api/**", async (route) => {
    const url = new URL(route.request().url());
    const p = url.pathname;
    mock.log.push(`${route.request().method()} ${p}${url.search}`);
    if (mock.down) return route.abort("internetdisconnected");
    if (p === "/api/auth/login" || p === "/api/auth/signup")
      return send(route, UserSession, { token: "user-token", user: USER }, p.endsWith("signup") ? 201 : 200);
    if (p === "/api/auth/me") return send(route, Me, { user: USER });
    if (p === "/api/instruments" && mock.instrumentsStatus === 401)
      return error(route, 401, "unauthorized", "token expired");
    if (p === "/api/instruments" && mock.instrumentsStatus)
      return error(route, mock.instrumentsStatus, "internal_error", "The database is not answering.");
    if (p === "/api/instruments") return send(route, Instrument.array(), data.instruments);
    if (p === "/api/instruments/ws/ticket") return send(route, LiveTicket, { ticket: "live-ticket-1" });
    if (p === "/api/notifications/ws/ticket") return send(route, LiveTicket, { ticket: "channel-ticket-1" });
    data.alerts ??= alertsState();
    if (await answerAlerts(route, url, data.alerts)) return;
    const watch = answerWatchlist(route, url, data);
    if (watch) return watch;
    if (await answerMarket(route, url, data)) return;
    return answerAdmin(route, url, data) ?? error(route, 404, "not_found", "route not found");
  });

  // An instrument's live socket: the greeting, then whatever the test pushes.
  await page.routeWebSocket("**/api/instruments/*/ws**", (ws) => {
    mock.log.push(`WS ${ws.url()}`);
    if (mock.down) return ws.close({ code: 4000, reason: "offline" });
    mock.socket = ws;
    ws.onClose(() => {
      if (mock.socket === ws) mock.socket = null;
    });
    const symbol = decodeURIComponent(new URL(ws.url()).pathname.split("/")[3]);
    ws.send(JSON.stringify(LiveEvent.parse({ type: "connected", symbol })));
  });

  // The user's channel: the greeting, then the notifications a test sends.
  await page.routeWebSocket("**/api/notifications/ws**", (ws) => {
    mock.log.push(`WS ${ws.url()}`);
    if (mock.down) return ws.close({ code: 4000, reason: "offline" });
    mock.channel = ws;
    ws.onClose(() => {
      if (mock.channel === ws) mock.channel = null;
    });
    ws.send(JSON.stringify(UserEvent.parse({ type: "connected" })));
  });

  // The ProgressHub socket: the data's events, then whatever the test sends.
  await page.routeWebSocket("**/api/admin/ws**", (ws) => {
    mock.log.push(`WS ${ws.url()}`);
    if (!mock.adminSocketUp) return ws.close({ code: 1011, reason: "down" });
    mock.adminSockets.push(ws);
    for (const { afterMs, event } of data.hubEvents ?? []) {
      const message = JSON.stringify(ProgressEvent.parse(event));
      if (afterMs === 0) ws.send(message);
      else setTimeout(() => ws.send(message), afterMs);
    }
  });
  return mock;
}
