// The exchange simulator: a node:http server answering Binance's public spot API for one generated
// symbol (SIMUSDT), a sibling of the replay exchange that needs no data files.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { BinanceError } from "../replay/binance-query";
import { SimMarket } from "./generator";
import { SIM_SYMBOL } from "./params";
import { answerSimApi, type SimExchange } from "./sim-api";

export interface SimServer {
  url: string;
  port: number;
  exchange: SimExchange;
  close(): Promise<void>;
}

export async function startSimServer(
  opts: { port?: number; host?: string; seed?: number; clock?: () => number } = {},
): Promise<SimServer> {
  const exchange: SimExchange = {
    symbol: SIM_SYMBOL,
    market: new SimMarket(opts.seed),
    now: opts.clock ?? Date.now,
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://sim");
    let status = 200;
    let body: unknown;
    try {
      if (req.method !== "GET")
        throw new BinanceError(405, -1000, `The simulator answers GET only, not ${req.method}.`);
      ({ status, body } = answerSimApi(exchange, url.pathname, url.searchParams));
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
    exchange,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
