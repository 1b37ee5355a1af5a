// The candlestick chart: loads a timeframe, pages older history on scroll-left, streams the latest
// candle every minute with update(), and overlays the model forecasts.
import type { MouseEventParams, Time } from "lightweight-charts";
import { useEffect, useRef, useState } from "preact/hooks";
import { api, messageOf } from "../api";
import type { Candle, ModelForecast, Timeframe } from "../api-types";
import { mergeCandles, streamable } from "../lib/chart-data";
import {
  candleData,
  createPriceChart,
  type PriceChart as Handles,
  setCandles,
  setHorizon,
  styleFor,
  volumeData,
} from "../lib/chart-setup";
import { ForecastOverlay, type ForecastSummary } from "../lib/forecast-overlay";
import { ChartLegend, type Hover } from "./chart-legend";
import { Spinner } from "./ui";

const FIRST_PAGE = 500;
const OLDER_PAGE = 500;
const LOAD_OLDER_WHEN_BARS_LEFT = 40;
const REFRESH_MS = 60_000;
const REFRESH_LIMIT = 3; // the forming candle plus the ones that closed since the last refresh
const BAR_PX = 7; // initial zoom: about one candle per 7 px of chart width
const RIGHT_MARGIN_BARS = 4;

interface Props {
  symbol: string;
  timeframe: Timeframe;
  models: ModelForecast[];
  hidden: ReadonlySet<string>;
  onNewCandle: () => void;
}

/** Shows the latest candles plus `future` forecast periods, at a comfortable zoom for the width. */
function frame(pc: Handles, count: number, future: number): void {
  const width = pc.chart.timeScale().width() || 800;
  const total = Math.round(width / BAR_PX);
  // A long horizon on a fine timeframe must not crowd out the candles: at most a third of the view.
  const ahead = Math.min(future, Math.round(total / 3));
  pc.chart.timeScale().setVisibleLogicalRange({
    from: Math.max(0, count - (total - ahead)),
    to: count - 1 + ahead + RIGHT_MARGIN_BARS,
  });
}

type Status =
  | { kind: "loading" }
  | { kind: "ready" }
  | { kind: "empty" }
  | { kind: "error"; message: string };

export function PriceChart({ symbol, timeframe, models, hidden, onNewCandle }: Props) {
  const boxRef = useRef<HTMLDivElement>(null);
  const handles = useRef<Handles | null>(null);
  const overlay = useRef<ForecastOverlay | null>(null);
  // Mutable chart data, outside render: chart callbacks read it without re-subscribing.
  // `framed`: the view was fitted to the forecast horizon once for this symbol and timeframe.
  const data = useRef({
    candles: [] as Candle[],
    exhausted: false,
    loadingOlder: false,
    generation: 0,
    framed: false,
  });
  // Latest props for callbacks registered once at mount (scrolling, refresh).
  const props = useRef({ symbol, timeframe, onNewCandle });
  props.current = { symbol, timeframe, onNewCandle };
  const [status, setStatus] = useState<Status>({ kind: "loading" });
  const [olderBusy, setOlderBusy] = useState(false);
  const [hover, setHover] = useState<Hover | null>(null);
  const [revision, setRevision] = useState(0); // bumps when the last candle changes
  const [summaries, setSummaries] = useState<ForecastSummary[]>([]);

  // Create the chart once; subscribe to crosshair and scrolling.
  useEffect(() => {
    const pc = createPriceChart(boxRef.current!);
    handles.current = pc;
    overlay.current = new ForecastOverlay(pc);
    const onCrosshair = (param: MouseEventParams<Time>) => {
      const bar = param.seriesData.get(pc.candles) as { open?: number } | undefined;
      if (!param.time || !bar || bar.open === undefined) return setHover(null);
      const c = data.current.candles.find((x) => x.time === param.time);
      setHover(c ? { candle: c } : null);
    };
    const onRange = (range: { from: number } | null) => {
      if (range && range.from < LOAD_OLDER_WHEN_BARS_LEFT) void loadOlder();
    };
    pc.chart.subscribeCrosshairMove(onCrosshair);
    pc.chart.timeScale().subscribeVisibleLogicalRangeChange(onRange);
    return () => {
      pc.chart.unsubscribeCrosshairMove(onCrosshair);
      pc.chart.timeScale().unsubscribeVisibleLogicalRangeChange(onRange);
      pc.chart.remove();
      handles.current = null;
    };
  }, []);

  async function loadOlder(): Promise<void> {
    const d = data.current;
    const pc = handles.current;
    if (!pc || d.loadingOlder || d.exhausted || d.candles.length === 0) return;
    const generation = d.generation;
    d.loadingOlder = true;
    setOlderBusy(true);
    try {
      const { symbol: sym, timeframe: tf } = props.current;
      const answer = await api.candles(sym, tf, OLDER_PAGE, d.candles[0].time - 1);
      if (generation !== d.generation) return;
      const before = d.candles.length;
      d.candles = mergeCandles(answer.candles, d.candles);
      if (d.candles.length === before) d.exhausted = true;
      else setCandles(pc, d.candles);
    } catch {
      // Leave the history as it is; the next scroll tries again.
    } finally {
      if (generation === d.generation) {
        d.loadingOlder = false;
        setOlderBusy(false);
      }
    }
  }

  // Load the latest page whenever the instrument or timeframe changes.
  useEffect(() => {
    const pc = handles.current!;
    const d = data.current;
    d.generation += 1;
    const generation = d.generation;
    Object.assign(d, { candles: [], exhausted: false, loadingOlder: false, framed: false });
    setOlderBusy(false);
    setStatus({ kind: "loading" });
    setHover(null);
    overlay.current?.clear();
    setCandles(pc, []);
    setHorizon(pc, []);
    const controller = new AbortController();
    api
      .candles(symbol, timeframe, FIRST_PAGE, undefined, controller.signal)
      .then((answer) => {
        if (generation !== d.generation) return;
        d.candles = mergeCandles([], answer.candles);
        d.exhausted = answer.candles.length < FIRST_PAGE;
        setCandles(pc, d.candles);
        const last = d.candles.at(-1);
        if (!last) return setStatus({ kind: "empty" });
        styleFor(pc, last.close, timeframe);
        frame(pc, d.candles.length, 0);
        setStatus({ kind: "ready" });
        setRevision((r) => r + 1);
      })
      .catch((e) => {
        if (!controller.signal.aborted) setStatus({ kind: "error", message: messageOf(e) });
      });
    return () => controller.abort();
  }, [symbol, timeframe]);

  // Stream the newest candle every minute through update(), never setData.
  useEffect(() => {
    const timer = window.setInterval(async () => {
      const pc = handles.current;
      const d = data.current;
      if (!pc || d.candles.length === 0 || document.hidden) return;
      const generation = d.generation;
      try {
        const answer = await api.candles(symbol, timeframe, REFRESH_LIMIT);
        if (generation !== d.generation) return;
        const lastTime = d.candles.at(-1)!.time;
        if (answer.candles.length > 0 && answer.candles[0].time > lastTime) {
          // More periods passed than one refresh fetches (a sleeping laptop): reload instead of leaving a hole.
          const page = await api.candles(symbol, timeframe, FIRST_PAGE);
          if (generation !== d.generation) return;
          const joins = page.candles.length > 0 && page.candles[0].time <= lastTime;
          d.candles = joins ? mergeCandles(d.candles, page.candles) : page.candles;
          setCandles(pc, d.candles);
          setRevision((r) => r + 1);
          props.current.onNewCandle();
          return;
        }
        const fresh = streamable(lastTime, answer.candles);
        for (const c of fresh) {
          pc.candles.update(candleData(c));
          pc.volume.update(volumeData(c));
        }
        d.candles = mergeCandles(d.candles, fresh);
        setRevision((r) => r + 1);
        if (d.candles.at(-1)!.time > lastTime) props.current.onNewCandle();
      } catch {
        // A missed refresh is retried on the next tick; errors that matter (401) are handled by api.
      }
    }, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [symbol, timeframe]);

  // Redraw forecasts when they, the toggles, or the last candle change.
  useEffect(() => {
    const d = data.current;
    if (!overlay.current || !handles.current || status.kind !== "ready") return;
    const drawn = overlay.current.draw(models, d.candles.at(-1) ?? null, timeframe, hidden);
    setSummaries(drawn.summaries);
    // The first time forecasts arrive, widen the view so their whole horizon is on screen.
    if (!d.framed && drawn.slots > 0) {
      d.framed = true;
      frame(handles.current, d.candles.length, drawn.slots);
    }
  }, [models, hidden, revision, status.kind, timeframe]);

  const last = data.current.candles.at(-1) ?? null;
  return (
    <div class="chart">
      <ChartLegend
        hover={hover}
        last={last}
        summaries={status.kind === "ready" ? summaries : []}
        timeframe={timeframe}
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
        {olderBusy && <span class="chart__pill">Loading older candles…</span>}
      </div>
    </div>
  );
}
