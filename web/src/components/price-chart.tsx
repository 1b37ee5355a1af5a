// The candlestick chart: loads a timeframe, pages older history on scroll-left, draws each newly
// collected minute pushed by the instrument's live socket with update() (polling every minute while the
// socket is down), and overlays the model forecasts.
import type { MouseEventParams, Time } from "lightweight-charts";
import { useEffect, useRef, useState } from "preact/hooks";
import type { HistorySignal, ModelForecast, Timeframe } from "../api-types";
import { CandleFeed, type RefreshOutcome } from "../lib/candle-feed";
import { createPriceChart, frame, type PriceChart as Handles, styleFor } from "../lib/chart-setup";
import { ForecastOverlay, type ForecastSummary } from "../lib/forecast-overlay";
import { type LiveState, openLiveFeed } from "../lib/live-feed";
import { type Fill, type MarkerLayer, SignalMarkers } from "../lib/signal-markers";
import { noteLiveCandle, socketState } from "../state/connection";
import { messageOf } from "../transport";
import { ChartLegend, HiddenForecastsNote, type Hover } from "./chart-legend";
import { Spinner } from "./ui";

const LOAD_OLDER_WHEN_BARS_LEFT = 40;
const REFRESH_MS = 60_000;

interface Props {
  symbol: string;
  /** The market's price tick (null: unknown), which sets the axis's decimals. */
  tick: number | null;
  timeframe: Timeframe;
  models: ModelForecast[];
  hidden: ReadonlySet<string>;
  /** Hourly signals to mark (their turns to buy or sell) and the backtest's fills; null: not loaded. */
  signals: HistorySignal[] | null;
  fills: Fill[];
  onNewCandle: () => void;
  /**
   * A poll redrew the newest candle in place (a new minute of a 5m-1M period): the quote and the
   * freshness badge, which read the newest minute from the instrument list, want it again.
   */
  onPolled: () => void;
  /** A model version became active: forecasts and the signal are new. */
  onModelChange: () => void;
}

type Status =
  | { kind: "loading" }
  | { kind: "ready" }
  | { kind: "empty" }
  | { kind: "error"; message: string };

interface Parts {
  pc: Handles;
  feed: CandleFeed;
  overlay: ForecastOverlay;
  markers: SignalMarkers;
}

export function PriceChart({
  symbol,
  tick,
  timeframe,
  models,
  hidden,
  signals,
  fills,
  onNewCandle,
  onPolled,
  onModelChange,
}: Props) {
  const boxRef = useRef<HTMLDivElement>(null);
  const parts = useRef<Parts | null>(null);
  // Latest props for callbacks registered once at mount (scrolling, refresh).
  const props = useRef({ symbol, timeframe, onNewCandle, onPolled, onModelChange });
  props.current = { symbol, timeframe, onNewCandle, onPolled, onModelChange };
  const liveRef = useRef<LiveState>("connecting");
  const [status, setStatus] = useState<Status>({ kind: "loading" });
  const [olderBusy, setOlderBusy] = useState(false);
  const [hover, setHover] = useState<Hover | null>(null);
  const [revision, setRevision] = useState(0); // bumps when the candles change
  const [summaries, setSummaries] = useState<ForecastSummary[]>([]);
  const [counts, setCounts] = useState<Record<MarkerLayer, number> | null>(null);

  // Create the chart once; subscribe to crosshair and scrolling.
  useEffect(() => {
    const pc = createPriceChart(boxRef.current!);
    const feed = new CandleFeed(pc);
    const overlay = new ForecastOverlay(pc);
    parts.current = { pc, feed, overlay, markers: new SignalMarkers(pc) };
    const onCrosshair = (param: MouseEventParams<Time>) => {
      if (param.time === undefined) return setHover(null);
      const candle = feed.candles.find((c) => c.time === param.time);
      if (candle && param.seriesData.has(pc.candles)) return setHover({ candle });
      const slot = param.time as number;
      const readings = overlay.at(slot);
      setHover(readings.length > 0 ? { readings, slot } : null);
    };
    const onRange = (range: { from: number } | null) => {
      if (!range || range.from >= LOAD_OLDER_WHEN_BARS_LEFT || feed.loadingOlder || feed.exhausted) return;
      setOlderBusy(true);
      feed
        .loadOlder(props.current.symbol, props.current.timeframe)
        .catch(() => false) // history stays as it is; the next scroll tries again
        .then((grew) => {
          setOlderBusy(false);
          if (grew) setRevision((r) => r + 1); // older candles may carry markers
        });
    };
    pc.chart.subscribeCrosshairMove(onCrosshair);
    pc.chart.timeScale().subscribeVisibleLogicalRangeChange(onRange);
    return () => {
      pc.chart.unsubscribeCrosshairMove(onCrosshair);
      pc.chart.timeScale().unsubscribeVisibleLogicalRangeChange(onRange);
      pc.chart.remove();
      parts.current = null;
    };
  }, []);

  // Load the latest page whenever the instrument or timeframe changes.
  useEffect(() => {
    const { pc, feed, overlay, markers } = parts.current!;
    feed.reset();
    overlay.clear();
    markers.clear();
    setOlderBusy(false);
    setStatus({ kind: "loading" });
    setHover(null);
    const controller = new AbortController();
    feed
      .loadLatest(symbol, timeframe, controller.signal)
      .then((current) => {
        if (!current) return;
        const last = feed.last;
        if (!last) return setStatus({ kind: "empty" });
        styleFor(pc, last.close, timeframe, tick);
        frame(pc, feed.candles.length, 0);
        setStatus({ kind: "ready" });
        setRevision((r) => r + 1);
      })
      .catch((e) => {
        if (!controller.signal.aborted) setStatus({ kind: "error", message: messageOf(e) });
      });
    return () => controller.abort();
  }, [symbol, timeframe]);

  const drawn = (outcome: RefreshOutcome) => {
    if (outcome !== "stale") setRevision((r) => r + 1);
    if (outcome === "new_candle") props.current.onNewCandle();
  };

  // Live minutes, applied one after another (a burst after an outage must fold in order).
  useEffect(() => {
    let queue = Promise.resolve();
    const stop = openLiveFeed(symbol, {
      onState: (s) => {
        liveRef.current = s;
        socketState.value = s; // the freshness badge reads it; the chart does not re-render
      },
      onEvent: (e) => {
        if (e.type === "connected") return;
        if (e.type !== "candle") return props.current.onModelChange();
        noteLiveCandle(symbol, e.candle.time + 60, e.candle.close);
        queue = queue
          .then(() => parts.current?.feed.applyMinute(symbol, props.current.timeframe, e.candle) ?? "stale")
          .then(drawn)
          .catch(() => {}); // the next minute (or the polling fallback) catches up
      },
    });
    return stop;
  }, [symbol]);

  // Poll for the newest candle every minute while the live socket is down.
  useEffect(() => {
    const timer = window.setInterval(async () => {
      const p = parts.current;
      if (!p || document.hidden || liveRef.current === "live") return;
      try {
        const outcome = await p.feed.refresh(symbol, timeframe);
        drawn(outcome);
        if (outcome === "updated") props.current.onPolled();
      } catch {
        // A missed refresh is retried on the next tick; errors that matter (401) are handled by api.
      }
    }, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [symbol, timeframe]);

  // Redraw forecasts when they, the toggles, or the candles change.
  useEffect(() => {
    const p = parts.current;
    if (!p || status.kind !== "ready") return;
    const drawn = p.overlay.draw(models, p.feed.last, timeframe, hidden);
    setSummaries(drawn.summaries);
    // The first time forecasts arrive, widen the view so their whole horizon is on screen.
    if (!p.feed.framed && drawn.slots > 0) {
      p.feed.framed = true;
      frame(p.pc, p.feed.candles.length, drawn.slots);
    }
  }, [models, hidden, revision, status.kind, timeframe]);

  // Redraw the markers when the history, the fills, the toggles or the candles change.
  useEffect(() => {
    const p = parts.current;
    if (!p || status.kind !== "ready" || !signals) return setCounts(null);
    const times = p.feed.candles.map((c) => c.time);
    setCounts(p.markers.draw(signals, fills, times, timeframe, hidden));
  }, [signals, fills, hidden, revision, status.kind, timeframe]);

  const last = parts.current?.feed.last ?? null;
  return (
    <div class="chart">
      <ChartLegend
        hover={hover}
        last={last}
        summaries={status.kind === "ready" ? summaries : []}
        timeframe={timeframe}
        markers={counts && { counts, hidden }}
      />
      <div class="chart__box">
        <div
          class="chart__canvas"
          ref={boxRef}
          role="img"
          aria-label={`${symbol} ${timeframe} candlestick chart with model forecasts`}
        />
        {status.kind === "loading" && (
          <div class="chart__overlay">
            <Spinner label="Loading candles" />
          </div>
        )}
        {status.kind === "empty" && (
          <div class="chart__overlay">
            <p class="muted">
              No {timeframe} candles for {symbol} yet.
            </p>
          </div>
        )}
        {status.kind === "error" && (
          <div class="chart__overlay" role="alert">
            <p>Could not load candles: {status.message}</p>
          </div>
        )}
        {status.kind === "ready" && <HiddenForecastsNote summaries={summaries} timeframe={timeframe} />}
        {olderBusy && <span class="chart__pill">Loading older candles…</span>}
      </div>
    </div>
  );
}
