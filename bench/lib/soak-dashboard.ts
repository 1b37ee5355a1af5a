// One simulated dashboard of the soak (bench/soak.ts): a signed-in user from its own client address who
// loads what web/src/pages/dashboard.tsx loads and re-fetches on each pushed minute as web/ does (the
// chart's refresh, predictions, signal and statistics on a new period, the track record every 5 minutes,
// the quotes every minute), plus live sockets through the real ticket + upgrade path. It counts every
// answer by status and every candle each socket received, with when.
import type { Timeframe } from "../../core/candles/timeframes";
import { type Account, signIn } from "./user-api";

const FIRST_PAGE = 500; // web/src/lib/candle-feed.ts
const REFRESH_LIMIT = 3;
const RECORD_REFRESH_MS = 5 * 60_000; // web/src/state/dashboard.ts
const HISTORY_SECONDS = 7 * 24 * 3600;
const TF_SECONDS: Partial<Record<Timeframe, number>> = {
  "1m": 60,
  "5m": 300,
  "15m": 900,
  "1h": 3600,
  "4h": 14_400,
};

/** What every dashboard adds to: answers by status class, failures, and socket events. */
export interface SoakCounters {
  requests: number;
  status5xx: number;
  status4xx: number;
  /** fetches that got no answer at all */
  errors: number;
  /** sockets that closed without the soak closing them */
  dropped: number;
  /** what went wrong: the first time of each distinct message, and how often each came */
  samples: string[];
  problems: Record<string, number>;
}

export const newCounters = (): SoakCounters => ({
  requests: 0,
  status5xx: 0,
  status4xx: 0,
  errors: 0,
  dropped: 0,
  samples: [],
  problems: {},
});

/** One live socket: the candle minutes it received (minute time -> ms since epoch when it arrived). */
export interface SoakSocket {
  symbol: string;
  open: boolean;
  /** a ticket or an upgrade is under way */
  connecting: boolean;
  /** ms since epoch when it last opened */
  openedAt: number;
  received: Map<number, number>;
}

export class Dashboard {
  private token = "";
  private tf: Timeframe;
  private foldedUntil: number | null = null;
  private recordAt = 0;
  private historyTo = 0;
  readonly sockets: SoakSocket[] = [];
  private readonly live = new Set<WebSocket>();
  private stopped = false;

  constructor(
    private readonly base: string,
    readonly symbol: string,
    private readonly address: string,
    private readonly counters: SoakCounters,
    firstTf: Timeframe,
  ) {
    this.tf = firstTf;
  }

  private note(what: string) {
    const { problems, samples } = this.counters;
    problems[what] = (problems[what] ?? 0) + 1;
    if (problems[what] === 1 && samples.length < 100) samples.push(`${new Date().toISOString()} ${what}`);
  }

  /** GETs (or POSTs) an API path as this user; the parsed JSON, or null when it failed (and was counted). */
  async call<T>(path: string, method = "GET"): Promise<T | null> {
    this.counters.requests++;
    try {
      const res = await fetch(`${this.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, "cf-connecting-ip": this.address },
      });
      const text = await res.text();
      if (res.status >= 500) {
        this.counters.status5xx++;
        this.note(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
      } else if (res.status >= 400 && res.status !== 404) {
        this.counters.status4xx++;
        this.note(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
      }
      return res.ok ? (JSON.parse(text) as T) : null;
    } catch (e) {
      this.counters.errors++;
      this.note(`${method} ${path}: ${(e as Error).message}`);
      return null;
    }
  }

  private insights(refresh: boolean, modelsChanged = false): Promise<unknown> {
    const s = `/api/instruments/${this.symbol}`;
    const calls: Promise<unknown>[] = [
      this.call(`${s}/predictions`),
      this.call(`${s}/signals`),
      this.call(`${s}/stats`),
    ];
    if (!refresh || modelsChanged || Date.now() - this.recordAt >= RECORD_REFRESH_MS) {
      this.recordAt = Date.now();
      calls.push(this.call(`${s}/track-record`));
    }
    const to = Math.floor(Date.now() / 1000);
    if (!refresh || modelsChanged) calls.push(this.call(`${s}/backtest`));
    else if (to - this.historyTo < 3600) return Promise.all(calls);
    this.historyTo = to;
    calls.push(this.call(`${s}/signals/history?from=${to - HISTORY_SECONDS}&to=${to}`));
    return Promise.all(calls);
  }

  /** Signs in (signing up the first time) and loads the page as a browser opening /dashboard does. */
  async open(account: Account): Promise<void> {
    this.token = (await signIn(this.base, account, { "cf-connecting-ip": this.address })).token;
    await Promise.all([
      this.call("/api/auth/me"),
      this.call("/api/instruments"),
      this.call("/api/watchlist"),
      this.call("/api/notifications"),
      this.call("/api/alerts"),
      this.chart(this.tf),
      this.insights(false),
    ]);
  }

  /** The chart tab shown. */
  get tab(): Timeframe {
    return this.tf;
  }

  /** Shows the chart at `tf`: its first page (a tab switch does the same). */
  async chart(tf: Timeframe): Promise<void> {
    this.tf = tf;
    this.foldedUntil = null;
    await this.call(`/api/instruments/${this.symbol}/data/${tf}?limit=${FIRST_PAGE}`);
  }

  /** The quotes' minute poll (dashboard.tsx QUOTES_REFRESH_MS). */
  quotes(): Promise<unknown> {
    return this.call("/api/instruments");
  }

  /** What the dashboard does with a pushed minute of its own symbol (price-chart.tsx, candle-feed.ts). */
  private async onMinute(time: number): Promise<void> {
    let newPeriod: boolean;
    if (this.tf !== "1m" && this.foldedUntil === null) {
      await this.call(`/api/instruments/${this.symbol}/data/${this.tf}?limit=${REFRESH_LIMIT}`);
      newPeriod = false; // a refresh only reports a new period when one passed; the next minutes fold
    } else {
      const period = TF_SECONDS[this.tf];
      newPeriod = period !== undefined && (time + 60) % period === 0;
    }
    this.foldedUntil = time;
    if (newPeriod) await Promise.all([this.insights(true), this.call("/api/instruments")]);
  }

  /** Opens a live socket for `symbol` (a ticket, then the upgrade); `ownFeed`: the chart's own socket. */
  async socket(symbol: string, ownFeed: boolean): Promise<SoakSocket> {
    const s: SoakSocket = { symbol, open: false, connecting: false, openedAt: 0, received: new Map() };
    this.sockets.push(s);
    await this.connect(s, ownFeed, 0);
    return s;
  }

  private async connect(s: SoakSocket, ownFeed: boolean, attempt: number): Promise<void> {
    if (this.stopped || s.connecting || s.open) return;
    s.connecting = true;
    const retry = (next: number) =>
      setTimeout(() => void this.connect(s, ownFeed, next), Math.min(30_000, 1000 * 2 ** next));
    const answer = await this.call<{ ticket: string }>("/api/instruments/ws/ticket", "POST");
    if (!answer) {
      s.connecting = false;
      return void retry(attempt + 1);
    }
    const url = `${this.base.replace(/^http/, "ws")}/api/instruments/${s.symbol}/ws?ticket=${encodeURIComponent(answer.ticket)}`;
    // undici's WebSocket takes headers: the upgrade comes from this client's address too.
    const ws = new WebSocket(url, { headers: { "cf-connecting-ip": this.address } } as never);
    await new Promise<void>((resolve) => {
      let ended = false;
      // A failed upgrade may report an error without a close: either ends the attempt, once.
      const end = (why: string) => {
        if (ended) return;
        ended = true;
        clearTimeout(handshake);
        const wasOpen = s.open;
        s.open = false;
        s.connecting = false;
        this.live.delete(ws);
        resolve();
        if (this.stopped) return;
        if (wasOpen) this.counters.dropped++;
        this.note(`socket ${wasOpen ? "closed" : "refused"}: ${why}`);
        retry(wasOpen ? 0 : attempt + 1);
      };
      const handshake = setTimeout(() => {
        if (s.open) return;
        end("no upgrade within 30 s");
        ws.close();
      }, 30_000);
      ws.addEventListener("open", () => {
        clearTimeout(handshake);
        s.open = true;
        s.connecting = false;
        s.openedAt = Date.now();
        this.live.add(ws);
        resolve();
      });
      ws.addEventListener("message", (m) => {
        const e = JSON.parse(String(m.data)) as { type: string; symbol?: string; candle?: { time: number } };
        if (e.type !== "candle" || e.symbol !== s.symbol || !e.candle) return;
        s.received.set(e.candle.time, Date.now());
        if (ownFeed) void this.onMinute(e.candle.time);
      });
      ws.addEventListener("close", (ev) => end(`${ev.code} ${ev.reason}`.trim()));
      ws.addEventListener("error", () => end("error"));
    });
  }

  /** Forgets minutes older than `before` (bounded memory over two hours). */
  prune(before: number): void {
    for (const s of this.sockets) for (const t of s.received.keys()) if (t < before) s.received.delete(t);
  }

  close(): void {
    this.stopped = true;
    for (const ws of this.live) ws.close(1000, "leaving");
  }
}
