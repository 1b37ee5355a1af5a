// The exchange simulator: a node:http server answering Binance's public spot API for the generated
// symbols of SIM_INSTRUMENTS (SIMUSDT, the negative control, and SIMARUSDT, the positive one), a sibling
// of the replay exchange that needs no data files.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { BinanceError } from "../replay/binance-query";
import { exchangeInfoOf, symbolEntry } from "../replay/exchange-info";
import { SimMarket } from "./generator";
import { SIM_INSTRUMENTS, SIM_PARAMS } from "./params";
import { answerSimApi, type SimExchange } from "./sim-api";

export interface SimServer {
  url: string;
  port: number;
  /** The first instrument's (SIMUSDT); `exchanges` holds every one. */
  exchange: SimExchange;
  exchanges: SimExchange[];
  close(): Promise<void>;
}

/** Answers one request for several generated symbols: by its symbol, or for every one when it names none. */
function answerSims(exchanges: readonly SimExchange[], pathname: string, q: URLSearchParams) {
  const one = q.get("symbol")?.toUpperCase();
  if (one) {
    const ex = exchanges.find((e) => e.symbol === one);
    if (!ex) throw new BinanceError(400, -1121, "Invalid symbol.");
    return answerSimApi(ex, pathname, q);
  }
  const many = q.get("symbols");
  const wanted = many ? exchanges.filter((e) => many.toUpperCase().includes(`"${e.symbol}"`)) : exchanges;
  if (many && wanted.length === 0) throw new BinanceError(400, -1121, "Invalid symbol.");
  if (pathname === "/api/v3/exchangeInfo") {
    const entries = wanted.map((e) =>
      symbolEntry(e.symbol, e.market.params.priceDecimals, e.market.params.volumeDecimals),
    );
    return { status: 200, body: exchangeInfoOf(entries, exchanges[0].now()) };
  }
  if (pathname === "/api/v3/ticker/24hr") {
    const each = wanted.map((e) => answerSimApi(e, pathname, new URLSearchParams({ symbol: e.symbol })).body);
    return { status: 200, body: each };
  }
  return answerSimApi(exchanges[0], pathname, q);
}

export async function startSimServer(
  opts: { port?: number; host?: string; seed?: number; clock?: () => number } = {},
): Promise<SimServer> {
  const base = opts.seed ?? SIM_PARAMS.seed;
  const exchanges: SimExchange[] = SIM_INSTRUMENTS.map((instrument, i) => ({
    symbol: instrument.symbol,
    market: new SimMarket(base + i, instrument.params),
    now: opts.clock ?? Date.now,
  }));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://sim");
    let status = 200;
    let body: unknown;
    try {
      if (req.method !== "GET")
        throw new BinanceError(405, -1000, `The simulator answers GET only, not ${req.method}.`);
      ({ status, body } = answerSims(exchanges, url.pathname, url.searchParams));
    } catch (e) {
      if (!(e instanceof BinanceError)) throw e;
      status = e.status;
      body = { code: e.code, msg: e.message };
    }
    res.writeHead(status, { "Content-Type": "application/json;charset=UTF-8" });
    res.end(JSON.stringify(body));
  });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    exchange: exchanges[0],
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
