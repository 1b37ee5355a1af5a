// Test-only: answers /api/* inside the browser page (page.route) with contract-shaped JSON.
import type { Page, Route } from "playwright-core";
import { TIMEFRAMES, type Timeframe } from "../../web/src/api-types";
import * as admin from "./admin-fixture";
import type { Market } from "./market-fixture";
import * as market from "./market-fixture";

export interface MockOptions {
  markets: Market[];
  /** Show the "no instruments yet" state. */
  noInstruments?: boolean;
  /** Answer GET /api/instruments with this HTTP status and the contract's error body. */
  instrumentsStatus?: number;
  /** Every call that reached the mock, "METHOD path?query", for assertions. */
  log: string[];
}

const USER = { id: 7, email: "ada@desk.example" };
const ADMIN = { id: 1, email: "ops@desk.example", name: "Grace Ops" };

const json = (route: Route, body: unknown, status = 200) =>
  route.fulfill({ status, contentType: "application/json", body: JSON.stringify(body) });

const notFound = (route: Route, what: string) =>
  json(route, { error: { code: "not_found", message: `${what} not found` } }, 404);

export async function mockApi(page: Page, opts: MockOptions): Promise<void> {
  const bySymbol = new Map(opts.markets.map((m) => [m.symbol, m]));
  await page.route("**/api/**", async (route) => {
    const req = route.request();
    const url = new URL(req.url());
    const path = url.pathname;
    const method = req.method();
    opts.log.push(`${method} ${path}${url.search}`);

    if (path === "/api/auth/login" || path === "/api/auth/signup") {
      return json(route, { token: "user-token", user: USER }, path.endsWith("signup") ? 201 : 200);
    }
    if (path === "/api/auth/me") return json(route, { user: USER });
    if (path === "/api/instruments" && opts.instrumentsStatus) {
      const code = opts.instrumentsStatus === 401 ? "unauthorized" : "internal_error";
      const message = opts.instrumentsStatus === 401 ? "token expired" : "The database is not answering.";
      return json(route, { error: { code, message } }, opts.instrumentsStatus);
    }
    if (path === "/api/instruments") {
      return json(route, opts.noInstruments ? [] : opts.markets.map(market.instrument));
    }
    const history = path.match(/^\/api\/instruments\/([^/]+)\/signals\/history$/);
    if (history) {
      const m = bySymbol.get(decodeURIComponent(history[1]));
      if (!m) return notFound(route, "instrument");
      const to = Number(url.searchParams.get("to"));
      return json(route, market.signalHistory(m, Number(url.searchParams.get("from")), to));
    }
    const inst = path.match(
      /^\/api\/instruments\/([^/]+)\/(data\/([^/]+)|predictions|signals|stats|backtest)$/,
    );
    if (inst) {
      const m = bySymbol.get(decodeURIComponent(inst[1]));
      if (!m) return notFound(route, "instrument");
      if (inst[3]) {
        const tf = inst[3] as Timeframe;
        if (!TIMEFRAMES.includes(tf))
          return json(route, { error: { code: "bad_timeframe", message: "unknown timeframe" } }, 400);
        const limit = Number(url.searchParams.get("limit") ?? 100);
        const end = url.searchParams.get("end");
        const candles = market.candles(m, tf, limit, end === null ? undefined : Number(end));
        return json(route, { symbol: m.symbol, timeframe: tf, candles });
      }
      const kind = inst[2];
      if (kind === "predictions") return json(route, market.predictions(m));
      if (kind === "signals") return json(route, market.signal(m));
      if (kind === "stats") return json(route, market.stats(m));
      return json(route, market.backtest(m));
    }

    if (path === "/api/admin/auth/login")
      return json(route, { access_token: "admin-token", token_type: "bearer", admin: ADMIN });
    if (path === "/api/admin/profiles") return json(route, admin.profiles(opts.markets));
    const status = path.match(/^\/api\/admin\/profiles\/(\d+)\/data-status$/);
    if (status) {
      const m = opts.markets[Number(status[1]) - 1];
      return m ? json(route, admin.dataStatus(m, Number(status[1]))) : notFound(route, "profile");
    }
    if (path === "/api/admin/jobs") {
      const status = new URL(route.request().url()).searchParams.get("status");
      return json(
        route,
        admin.jobs().filter((j) => !status || j.status === status),
      );
    }
    if (path === "/api/admin/trainers")
      return json(route, [{ id: "laptop-trainer", last_seen: new Date().toISOString(), job_id: 7 }]);
    if (path === "/api/admin/models") return json(route, admin.models(opts.markets));
    if (path === "/api/admin/ws/ticket") return json(route, { ticket: "ticket-1" });
    if (path === "/api/instruments/ws/ticket") return json(route, { ticket: "live-ticket-1" });
    return notFound(route, "route");
  });

  // An instrument's live socket: the greeting only (the scenes' candles stay as loaded).
  await page.routeWebSocket("**/api/instruments/*/ws**", (ws) => {
    const symbol = decodeURIComponent(new URL(ws.url()).pathname.split("/")[3]);
    ws.send(JSON.stringify({ type: "connected", symbol }));
  });

  // The ProgressHub socket: greet, then replay a few progress events.
  await page.routeWebSocket("**/api/admin/ws**", (ws) => {
    opts.log.push(`WS ${ws.url()}`);
    admin.progressEvents().forEach((event, i) => {
      setTimeout(() => ws.send(JSON.stringify(event)), 300 + i * 250);
    });
  });
}
