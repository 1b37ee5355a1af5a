// The replay exchange: a node:http server answering Binance's public spot API from kline dump files.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { answerWithSynthetic, SyntheticMarkets } from "../sim/synthetic";
import { answerApi, type ReplayMarket } from "./binance-api";
import { BinanceError } from "./binance-query";
import { MINUTE_MS, WEEK_MS } from "./constants";
import { type Fault, FaultQueue, faultAction, parseFault } from "./faults";
import { listKlineFiles, loadKlines } from "./load";

export interface ReplayOptions {
  /** A folder of kline files, or `files`: an explicit list. */
  dir?: string;
  files?: string[];
  /** 0 picks a free port (the default here; the CLI defaults to 9100). */
  port?: number;
  host?: string;
  /** The recorded minute that becomes the present (ISO string, ms or Date); default the last recorded. */
  nowAt?: string | number | Date;
  /** The real clock in ms (tests pin it); default Date.now. */
  clock?: () => number;
  verbose?: boolean;
  log?: (line: string) => void;
  /** Also serve this many synthetic symbols, SIM0001USDT... (scripts/sim/synthetic.ts), for load tests. */
  synthetic?: number;
}

export interface ReplayServer {
  url: string;
  port: number;
  /** Whole weeks added to every recorded time. */
  shiftSeconds: number;
  symbols: string[];
  /** Milliseconds spent reading and indexing the files. */
  loadMs: number;
  market: ReplayMarket;
  /** Queues a fault for the next API requests; null clears the queue. */
  setFault(fault: Fault | null): void;
  /** Moves the replay's present forward (the real clock keeps running too). */
  advance(seconds: number): void;
  close(): Promise<void>;
}

const JSON_TYPE = "application/json;charset=UTF-8";
const MAX_CONTROL_BODY = 64 * 1024;

/**
 * The whole number of weeks (weekday and time of day kept) that moves the recorded minute `nowAtMs` to
 * the present minute or, when weekdays differ, to the first such minute after it. So the present plays
 * a recorded minute in (nowAt - 7 days, nowAt]: nothing after --now-at is visible yet, and the candles
 * up to it (by default the rest of the recording) arrive live, one a minute.
 */
export function weekShiftMs(nowAtMs: number, presentMs: number): number {
  const nowAtMinute = Math.floor(nowAtMs / MINUTE_MS) * MINUTE_MS;
  const presentMinute = Math.floor(presentMs / MINUTE_MS) * MINUTE_MS;
  return Math.ceil((presentMinute - nowAtMinute) / WEEK_MS) * WEEK_MS || 0; // never -0
}

function toMs(at: string | number | Date): number {
  const ms = at instanceof Date ? at.getTime() : typeof at === "number" ? at : Date.parse(at);
  if (!Number.isFinite(ms)) throw new Error(`--now-at: not a date: ${String(at)}`);
  return ms;
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { "Content-Type": JSON_TYPE, ...headers });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const parts: Buffer[] = [];
  for await (const part of req) {
    size += part.length;
    if (size > MAX_CONTROL_BODY) throw new Error("body too large");
    parts.push(part);
  }
  return Buffer.concat(parts).toString("utf8");
}

export async function startReplayServer(options: ReplayOptions): Promise<ReplayServer> {
  const started = performance.now();
  const { series } = loadKlines(options.dir || options.files ? listKlineFiles(options) : []);
  if (series.size === 0 && !options.synthetic)
    throw new Error("no kline rows found (expected files like BTCUSDT-1m-2024-01.csv.gz)");
  const loadMs = performance.now() - started;
  const realClock = options.clock ?? Date.now;
  const lastRecorded = series.size
    ? Math.max(...[...series.values()].map((s) => s.openMs[s.openMs.length - 1]))
    : realClock();
  let offsetMs = 0;
  const shiftMs = weekShiftMs(options.nowAt === undefined ? lastRecorded : toMs(options.nowAt), realClock());
  const market: ReplayMarket = { series, shiftMs, now: () => realClock() + offsetMs };
  const synthetic = options.synthetic ? new SyntheticMarkets(options.synthetic, market.now) : null;
  const faults = new FaultQueue();
  const hanging = new Set<NodeJS.Timeout>();
  const log = options.log ?? ((line: string) => console.log(line));

  const apiAnswer = (url: URL): { status: number; text: string } => {
    try {
      const a = synthetic
        ? answerWithSynthetic(synthetic, market, url.pathname, url.searchParams)
        : answerApi(market, url.pathname, url.searchParams);
      return { status: a.status, text: JSON.stringify(a.body) };
    } catch (e) {
      if (!(e instanceof BinanceError)) throw e;
      return { status: e.status, text: JSON.stringify({ code: e.code, msg: e.message }) };
    }
  };

  const serveApi = (req: IncomingMessage, res: ServerResponse, url: URL): string => {
    if (req.method !== "GET") {
      send(res, 405, JSON.stringify({ code: -1000, msg: `The replay answers GET only, not ${req.method}.` }));
      return "";
    }
    const fault = faults.take();
    const action = fault ? faultAction(fault) : null;
    if (action?.type === "status") {
      send(res, action.status, JSON.stringify(action.body), action.headers);
    } else if (action?.type === "hang") {
      const timer = setTimeout(() => {
        hanging.delete(timer);
        const a = apiAnswer(url);
        send(res, a.status, a.text);
      }, action.ms);
      hanging.add(timer);
      res.on("close", () => {
        clearTimeout(timer);
        hanging.delete(timer);
      });
    } else {
      const a = apiAnswer(url);
      // A malformed answer is the real one cut in half, as a dropped connection would leave it.
      send(
        res,
        a.status,
        action?.type === "malformed" ? a.text.slice(0, Math.floor(a.text.length / 2)) : a.text,
      );
    }
    return fault ? ` [fault ${fault.kind}]` : "";
  };

  const serveControl = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const route = `${req.method} ${url.pathname}`;
    if (route === "POST /__replay/fault") {
      const body = JSON.parse((await readBody(req)) || "{}");
      faults.add(body.clear === true ? null : parseFault(body));
    } else if (route === "DELETE /__replay/fault") {
      faults.add(null);
    } else if (route === "POST /__replay/clock") {
      const seconds = JSON.parse((await readBody(req)) || "{}").advanceSeconds;
      if (!Number.isFinite(seconds)) throw new Error("advanceSeconds must be a number");
      offsetMs += seconds * 1000;
    } else if (route !== "GET /__replay/status") {
      send(res, 404, JSON.stringify({ error: `no control route ${route}` }));
      return;
    }
    send(res, 200, JSON.stringify(status()));
  };

  const status = () => ({
    now: market.now(),
    shiftSeconds: shiftMs / 1000,
    faults: faults.pending(),
    symbols: [...series.values()].map((s) => ({
      symbol: s.symbol,
      first: s.openMs[0] + shiftMs,
      last: s.openMs[s.openMs.length - 1] + shiftMs,
      rows: s.openMs.length,
    })),
    synthetic: synthetic ? { count: synthetic.count, epoch: synthetic.epoch } : null,
  });

  const server = createServer((req, res) => {
    const t0 = performance.now();
    const url = new URL(req.url ?? "/", "http://replay");
    let note = "";
    if (options.verbose) {
      const line = () => `${req.method} ${url.pathname}${url.search} -> ${res.statusCode}`;
      res.on("close", () => log(`${line()} ${(performance.now() - t0).toFixed(1)}ms${note}`));
    }
    if (url.pathname.startsWith("/__replay/")) {
      serveControl(req, res, url).catch((e: Error) => send(res, 400, JSON.stringify({ error: e.message })));
    } else {
      note = serveApi(req, res, url);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    port,
    shiftSeconds: shiftMs / 1000,
    symbols: [...series.keys()],
    loadMs,
    market,
    setFault: (fault) => faults.add(fault === null ? null : parseFault(fault)),
    advance: (seconds) => {
      offsetMs += seconds * 1000;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of hanging) clearTimeout(t);
        hanging.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
