// "/dashboard": instruments, the chart with forecasts, and the signal, statistics and backtest cards.
import { useEffect } from "preact/hooks";
import { BacktestCard } from "../components/backtest-card";
import { InstrumentList } from "../components/instrument-list";
import { NavBar } from "../components/nav-bar";
import { PriceChart } from "../components/price-chart";
import { SignalCard } from "../components/signal-card";
import { StatsCard } from "../components/stats-card";
import { TimeframeTabs } from "../components/timeframe-tabs";
import { Skeleton } from "../components/ui";
import { formatPctPoints, formatPrice, formatUtc, trend } from "../lib/format";
import "../styles/dashboard.css";
import "../styles/chart.css";
import "../styles/insights.css";
import {
  hiddenModels,
  instruments,
  loadInsights,
  loadInstruments,
  predictions,
  selectedInstrument,
  selectedSymbol,
  selectSymbol,
  selectTimeframe,
  timeframe,
} from "../state/dashboard";
import { useRequireUser } from "../state/guards";

const QUOTES_REFRESH_MS = 60_000;
const NO_MODELS: never[] = [];

function EmptyMarkets() {
  return (
    <section class="card empty" aria-labelledby="empty-title">
      <div class="empty__icon" aria-hidden="true">
        ✦
      </div>
      <h1 id="empty-title">No instruments yet</h1>
      <p class="muted">
        Instruments appear here once they have data and trained models. An admin must collect data and train
        models first; this page will then show charts, forecasts and signals.
      </p>
    </section>
  );
}

function Workspace() {
  const inst = selectedInstrument.value!;
  const symbol = inst.symbol;
  const tf = timeframe.value;
  const pred = predictions.state.value;
  useEffect(() => loadInsights(symbol), [symbol]);
  const dir = trend(inst.change_percent);
  return (
    <div class="dash__main">
      <section class="card chart-card" aria-labelledby="symbol-title">
        <header class="chart-card__head">
          <div class="quote">
            <div class="quote__id">
              <h1 id="symbol-title">{symbol}</h1>
              <span class="muted">
                {inst.name} · {inst.exchange}
              </span>
            </div>
            <div class="quote__px">
              <span class="num quote__price">{formatPrice(inst.price)}</span>
              <span class={`num chip chip--${dir}`}>{formatPctPoints(inst.change_percent)}</span>
            </div>
          </div>
          <TimeframeTabs value={tf} onChange={selectTimeframe} />
        </header>
        <PriceChart
          symbol={symbol}
          timeframe={tf}
          models={pred.data?.models ?? NO_MODELS}
          hidden={hiddenModels.value}
          onNewCandle={() => {
            loadInsights(symbol, true);
            void loadInstruments(true);
          }}
          onModelChange={() => loadInsights(symbol, true)}
        />
        <footer class="chart-card__foot muted">
          <span>Times in UTC · scroll left for older candles · new candles drawn as they are collected</span>
          {pred.data && <span>Forecasts generated {formatUtc(pred.data.generated_at)}</span>}
          {pred.error && pred.status !== 404 && (
            <span class="inline-error">Forecasts unavailable: {pred.error}</span>
          )}
        </footer>
      </section>
      <div class="insights">
        <SignalCard />
        <StatsCard />
        <BacktestCard />
      </div>
    </div>
  );
}

export function DashboardPage() {
  const ok = useRequireUser();
  useEffect(() => {
    if (!ok) return;
    void loadInstruments(instruments.state.value.data !== null);
    const timer = window.setInterval(() => !document.hidden && loadInstruments(true), QUOTES_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [ok]);
  if (!ok) return null;
  const list = instruments.state.value;
  const items = list.data ?? [];
  return (
    <>
      <NavBar />
      <main id="main" class="page dashboard" tabIndex={-1}>
        {list.error && !list.data && (
          <section class="card empty" role="alert" aria-labelledby="error-title">
            <div class="empty__icon empty__icon--error" aria-hidden="true">
              !
            </div>
            <h1 id="error-title">Markets are unavailable</h1>
            <p class="muted">{list.error}</p>
            <button
              type="button"
              class="btn btn--primary"
              disabled={list.loading}
              onClick={() => loadInstruments()}
            >
              {list.loading ? "Trying…" : "Try again"}
            </button>
          </section>
        )}
        {!list.data && list.loading && (
          <div class="dash">
            <div class="card instruments">
              <Skeleton lines={6} />
            </div>
            <div class="card chart-card chart-card--loading">
              <Skeleton lines={3} />
            </div>
          </div>
        )}
        {list.data && items.length === 0 && <EmptyMarkets />}
        {items.length > 0 && (
          <div class="dash">
            <InstrumentList items={items} selected={selectedSymbol.value} onSelect={selectSymbol} />
            {selectedInstrument.value && <Workspace />}
          </div>
        )}
      </main>
    </>
  );
}
