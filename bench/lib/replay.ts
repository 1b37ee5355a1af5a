// The replay exchange in-process over the real BTCUSDT year, with a record of every API request it
// answered (when, which path, how long it took) so a bench can see where a backfill spends its time.
import { klineFiles, sampleDataDir } from "../../scripts/lib/binance-files";
import { type ReplayServer, startReplayServer } from "../../scripts/replay/server";

export const BTC_FILES = /^BTCUSDT-1m-\d{4}-\d{2}\.csv\.gz$/;

export interface ReplayRequest {
  /** performance.now() when the answer was sent */
  at: number;
  path: string;
  /** the klines startTime (ms, shifted as the Worker asked), when given */
  startTime: number | null;
  ms: number;
  status: number;
}

export interface RecordedReplay {
  server: ReplayServer;
  requests: ReplayRequest[];
}

const LINE = /^GET (\S+?)(\?\S*)? -> (\d+) ([\d.]+)ms/;

/** Starts the replay on the BTCUSDT files; `nowAt` defaults to the last recorded minute. */
export async function startBtcReplay(nowAt?: string): Promise<RecordedReplay> {
  const dir = sampleDataDir();
  if (!dir) throw new Error("No sample data: set MONEYMONEY_SAMPLE_DATA or provide ../shared/data/binance");
  const requests: ReplayRequest[] = [];
  const server = await startReplayServer({
    files: klineFiles(dir, BTC_FILES),
    nowAt,
    verbose: true,
    log: (line) => {
      const m = LINE.exec(line);
      if (!m) return;
      const start = new URLSearchParams(m[2] ?? "").get("startTime");
      requests.push({
        at: performance.now(),
        path: m[1],
        startTime: start === null ? null : Number(start),
        status: Number(m[3]),
        ms: Number(m[4]),
      });
    },
  });
  return { server, requests };
}
