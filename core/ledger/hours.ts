// Which hour has closed, from the newest stored minute: the ledger records at each hour's close, and
// the collection knows from these when a minute it stored closed one.
import { MODEL_PERIOD_SECONDS } from "../models/model-config";

/** Open of the last hour that has closed: the newest stored minute is its last, or a later one exists. */
export function lastClosedHour(newestMinute: number): number {
  return Math.floor((newestMinute + 60) / MODEL_PERIOD_SECONDS) * MODEL_PERIOD_SECONDS - MODEL_PERIOD_SECONDS;
}

/** Whether storing candles up to `after` closed an hour that `before` (the newest minute before) had not. */
export const closesHour = (before: number | null | undefined, after: number | undefined) =>
  after !== undefined && (before == null || lastClosedHour(after) > lastClosedHour(before));
