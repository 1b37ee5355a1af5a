// "live, last candle 12 s ago" / "no new candle for 7 min" / "offline, retrying": ticks every second on
// its own, so the chart never re-renders for it.
import { useEffect, useState } from "preact/hooks";
import { toDate } from "../lib/format";
import { freshness } from "../lib/freshness";
import { liveCandle, socketState } from "../state/connection";
import { selectedInstrument, stats } from "../state/dashboard";
import { reach } from "../transport";

const TICK_MS = 1000;

const seconds = (value: string | number | null | undefined) => {
  const d = toDate(value);
  return d ? d.getTime() / 1000 : null;
};

/** The newest 1m close the dashboard knows for `symbol`: pushed live, in the quotes, or in the stats. */
function lastCandleClose(symbol: string): number | null {
  const live = liveCandle.value;
  const times = [
    live?.symbol === symbol ? live.close : null,
    seconds(selectedInstrument.value?.symbol === symbol ? selectedInstrument.value.last_updated : null),
    seconds(stats.state.value.data?.symbol === symbol ? stats.state.value.data.as_of : null),
  ].filter((t): t is number => t !== null);
  return times.length ? Math.max(...times) : null;
}

export function FreshnessBadge({ symbol }: { symbol: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), TICK_MS);
    return () => window.clearInterval(timer);
  }, []);
  const { okAt, failAt } = reach.value;
  const f = freshness({
    now,
    lastCandleClose: lastCandleClose(symbol),
    socket: socketState.value,
    lastOkAt: okAt,
    lastFailAt: failAt,
  });
  return (
    <span
      class={`live live--${f.kind} freshness`}
      title="New candles arrive over a WebSocket; while it is down the chart asks every minute. The age is that of the newest collected 1m candle."
    >
      <span class="live__dot" aria-hidden="true" />
      {f.text}
    </span>
  );
}
