// Many synthetic symbols for load tests (SIM0001USDT, SIM0002USDT, ...): each one the simulator's GARCH
// market with its own seed (its name) and start price (from its name), so any two runs agree. The replay
// exchange serves them beside its recorded series when started with `synthetic` (server.ts).
//
// The simulator walks its price chain from an epoch day, one day of draws per day walked: with a fixed
// epoch months back, 1,000 symbols would cost minutes of draws before their first answer. So synthetic
// markets start their chain at `epoch` (default: the UTC day the server started), and a symbol is
// deterministic from its name and that day. No candles are cached: a request builds only the minutes it
// answers (with its day's returns kept), so 1,000 symbols cost ~30 MB and a few ms a minute each.
import { answerApi, type ReplayMarket } from "../replay/binance-api";
import type { ApiAnswer } from "../replay/binance-query";
import { exchangeInfoOf, symbolEntry } from "../replay/exchange-info";
import { DAY_MS, SimMarket } from "./generator";
import { SIM_PARAMS } from "./params";
import { answerSimApi, type SimExchange } from "./sim-api";

const NAME = /^SIM(\d{4,5})USDT$/;
export const MAX_SYNTHETIC = 99_999;

/** The i-th synthetic symbol (1-based): SIM0001USDT. */
export const syntheticSymbol = (i: number) => `SIM${String(i).padStart(4, "0")}USDT`;

/** A start price in [10, 1000) drawn from the name (FNV-1a), so each symbol has its own level. */
function startPriceOf(name: string): number {
  let h = 0x811c9dc5;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  const u = (h >>> 0) / 2 ** 32;
  return Number((10 * 100 ** u).toFixed(2));
}

export class SyntheticMarkets {
  private readonly markets = new Map<string, SimExchange>();
  readonly epoch: string;

  constructor(
    readonly count: number,
    private readonly now: () => number,
    epoch?: string,
  ) {
    if (!Number.isInteger(count) || count < 0 || count > MAX_SYNTHETIC)
      throw new RangeError(`synthetic symbols: 0..${MAX_SYNTHETIC}, not ${count}`);
    this.epoch = epoch ?? new Date(Math.floor(now() / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
  }

  has(symbol: string | null): symbol is string {
    const m = symbol ? NAME.exec(symbol.toUpperCase()) : null;
    return (
      m !== null &&
      Number(m[1]) >= 1 &&
      Number(m[1]) <= this.count &&
      syntheticSymbol(Number(m[1])) === symbol?.toUpperCase()
    );
  }

  exchange(symbol: string): SimExchange {
    const name = symbol.toUpperCase();
    let ex = this.markets.get(name);
    if (!ex) {
      const market = new SimMarket(name, { epoch: this.epoch, startPrice: startPriceOf(name) }, 0);
      ex = { symbol: name, market, now: this.now };
      this.markets.set(name, ex);
    }
    return ex;
  }

  entries() {
    const { priceDecimals, volumeDecimals } = SIM_PARAMS;
    return Array.from({ length: this.count }, (_, i) =>
      symbolEntry(syntheticSymbol(i + 1), priceDecimals, volumeDecimals),
    );
  }
}

/**
 * The replay's API with synthetic symbols beside its series: klines and tickers of a synthetic symbol
 * come from its simulated market, and exchangeInfo lists both (a `symbols` list may mix them).
 */
export function answerWithSynthetic(
  synth: SyntheticMarkets,
  market: ReplayMarket,
  pathname: string,
  q: URLSearchParams,
): ApiAnswer {
  const one = q.get("symbol");
  if (pathname !== "/api/v3/exchangeInfo") {
    return synth.has(one) ? answerSimApi(synth.exchange(one), pathname, q) : answerApi(market, pathname, q);
  }
  if (synth.has(one)) return answerSimApi(synth.exchange(one), pathname, q);
  const many = q.get("symbols");
  if (one || !many) {
    const a = answerApi(market, pathname, q);
    if (one) return a;
    const body = a.body as ReturnType<typeof exchangeInfoOf>;
    return { status: a.status, body: { ...body, symbols: [...body.symbols, ...synth.entries()] } };
  }
  let names: string[];
  try {
    names = (JSON.parse(many) as unknown[]).map(String);
  } catch {
    return answerApi(market, pathname, q); // the replay's own 400
  }
  const mine = names.filter((n) => synth.has(n));
  const rest = names.filter((n) => !synth.has(n));
  const recorded = rest.length
    ? (
        answerApi(market, pathname, new URLSearchParams({ symbols: JSON.stringify(rest) }))
          .body as ReturnType<typeof exchangeInfoOf>
      ).symbols
    : [];
  const { priceDecimals, volumeDecimals } = SIM_PARAMS;
  const entries = mine.map((n) => symbolEntry(n.toUpperCase(), priceDecimals, volumeDecimals));
  return { status: 200, body: exchangeInfoOf([...recorded, ...entries], market.now()) };
}
