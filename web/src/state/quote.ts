// The selected instrument's last price and 24 h change as every number on the dashboard shows them: the
// newest of the live socket's minute, the instrument list and the statistics, so a pushed minute moves
// the headline and the statistics card at once, whatever the chart's timeframe.
import { computed } from "@preact/signals";
import { toDate } from "../lib/format";
import { liveCandle } from "./connection";
import { selectedInstrument, stats } from "./dashboard";

export interface Quote {
  price: number | null;
  /** The change against the close 24 hours earlier, as a fraction. */
  change: number | null;
  /** When the minute that set the price closed (Unix seconds), or null. */
  at: number | null;
}

const seconds = (value: string | null | undefined) => {
  const d = toDate(value);
  return d ? d.getTime() / 1000 : null;
};

export const quote = computed<Quote | null>(() => {
  const inst = selectedInstrument.value;
  if (!inst) return null;
  const s = stats.state.value.data;
  const fromStats = s?.symbol === inst.symbol ? s : null;
  const listed: Quote = {
    price: inst.price,
    change: inst.change_percent === null ? null : inst.change_percent / 100,
    at: seconds(inst.last_updated),
  };
  const counted: Quote | null = fromStats && {
    price: fromStats.price,
    change: fromStats.change_24h,
    at: seconds(fromStats.as_of),
  };
  const base = counted && (counted.at ?? 0) > (listed.at ?? 0) ? counted : listed;
  const live = liveCandle.value;
  if (live?.symbol !== inst.symbol || live.close <= (base.at ?? 0)) return base;
  // The close 24 hours before moves a minute at a time: over one minute the base's reference stands in.
  const reference = base.price !== null && base.change !== null ? base.price / (1 + base.change) : null;
  return { price: live.price, change: reference ? live.price / reference - 1 : null, at: live.close };
});
