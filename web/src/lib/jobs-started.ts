// The console's note on jobs it just started, kept true as they run and finish.
import { formatCount } from "./format";

/** What became of the jobs just started, as the jobs list says now: never "queued" once they are not. */
export function startedText(
  what: string,
  ids: readonly number[],
  list: readonly { id: number; status: string }[],
) {
  const mine = list.filter((j) => ids.includes(j.id));
  const open = mine.filter((j) => j.status === "queued" || j.status === "running");
  const jobsWord = (n: number) => `${formatCount(n)} ${what} job${n === 1 ? "" : "s"}`;
  if (mine.length < ids.length || open.length > 0) {
    const running = open.filter((j) => j.status === "running").length;
    const queued = ids.length - (mine.length - open.length) - running;
    const parts = [
      running && `${formatCount(running)} running`,
      queued && `${formatCount(queued)} queued`,
    ].filter(Boolean);
    return `${jobsWord(ids.length)} started: ${parts.join(", ")}. Progress under Jobs.`;
  }
  const by = new Map<string, number>();
  for (const j of mine) by.set(j.status, (by.get(j.status) ?? 0) + 1);
  return `${jobsWord(ids.length)} finished: ${[...by].map(([s, n]) => `${formatCount(n)} ${s}`).join(", ")}.`;
}
