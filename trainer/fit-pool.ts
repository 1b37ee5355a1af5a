// The rolling evaluation's origins on every core: a job's folds are independent fits, so they run on
// worker threads (trainer/fit-worker.ts, kept for the trainer's life) while the main thread fits the
// shipped model, then takes folds from the same queue, largest first. TRAINER_FIT_THREADS sets the
// thread count (default: the cores less the main thread's, at most 3; 0 fits everything on the main
// thread as before).
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Candle } from "../core/candles/types";
import type { Fold } from "../core/models/fold-plan";
import { kindOf, type ModelType } from "../core/models/registry";
import { type FoldRunner, foldForecasts, type OutOfSample } from "../core/models/rolling";
import type { FitReply, FitTask } from "./fit-worker";

export function fitThreads(): number {
  const set = process.env.TRAINER_FIT_THREADS;
  if (set !== undefined && set !== "") return Math.max(0, Math.min(16, Math.floor(Number(set)) || 0));
  return Math.max(0, Math.min(3, availableParallelism() - 1));
}

/** Under tsx the worker is the .ts source (loaded with tsx); in the bundle, its own .mjs beside this. */
function spawnWorker(): Worker {
  const source = import.meta.url.endsWith(".ts");
  const url = new URL(source ? "./fit-worker.ts" : "./fit-worker.mjs", import.meta.url);
  // The young generation the main thread gets from --max-semi-space-size=64 (package.json, Dockerfile):
  // V8 makes it three semi-spaces. tfjs allocates fast; collecting less often saves ~10% of the CPU.
  const resourceLimits = { maxYoungGenerationSizeMb: 3 * 64 };
  const worker = new Worker(url, { resourceLimits, ...(source ? { execArgv: ["--import", "tsx"] } : {}) });
  // Idle threads never keep the trainer alive: it exits when its loop ends.
  worker.unref();
  return worker;
}

// The threads live as long as the trainer: starting one (and its tfjs backend) costs seconds, which a
// cheap fit would not win back if every job started its own.
const threadsStarted: Worker[] = [];
function threads(n: number): Worker[] {
  while (threadsStarted.length < n) threadsStarted.push(spawnWorker());
  return threadsStarted.slice(0, n);
}

interface Pending {
  fold: Fold;
  index: number;
  resolve(out: OutOfSample): void;
  reject(err: Error): void;
}

/** One job's folds: `runner` for rollingEvaluation, `helpLocally` once the main thread is free. */
export class FitPool {
  private readonly queue: Pending[] = [];
  private readonly workers: Worker[];
  private nextId = 0;

  constructor(
    private readonly type: ModelType,
    private readonly candles: readonly Candle[],
    /** Progress of one fold: its index, the fraction of it done, what it does. */
    private readonly progress: (index: number, fraction: number, message: string) => Promise<void>,
    count: number,
  ) {
    this.workers = threads(count);
  }

  /** Queues a fold; the largest (latest) folds go first, so the queue drains evenly. */
  readonly runner: FoldRunner = (fold, index) =>
    new Promise<OutOfSample>((resolve, reject) => {
      this.queue.push({ fold, index, resolve, reject });
      this.queue.sort((a, b) => b.fold.start - a.fold.start);
      queueMicrotask(() => {
        for (const w of this.workers) this.feed(w);
      });
    });

  private readonly busy = new Map<Worker, Pending>();

  private feed(worker: Worker) {
    if (this.busy.has(worker)) return;
    const task = this.queue.shift();
    if (!task) return;
    this.busy.set(worker, task);
    worker.ref(); // a fold in work keeps the process alive until its answer

    const id = this.nextId++;
    const done = () => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      this.busy.delete(worker);
      worker.unref();
    };
    const onMessage = (reply: FitReply) => {
      if (reply.id !== id) return;
      if ("progress" in reply) return void this.progress(task.index, reply.progress, reply.message);
      done();
      if ("error" in reply) task.reject(new Error(reply.error));
      else
        task.resolve({
          mean: reply.mean,
          sigma: reply.sigma,
          ...(reply.range ? { range: reply.range } : {}),
        });
      this.feed(worker);
    };
    // A thread that dies (out of memory) fails its fold, and so the job, as it would on the main thread.
    const onError = (err: Error) => {
      done();
      task.reject(err);
    };
    worker.on("message", onMessage);
    worker.once("error", onError);
    worker.postMessage({
      id,
      type: this.type,
      candles: [...this.candles],
      fold: task.fold,
    } satisfies FitTask);
  }

  /** The main thread takes queued folds too, until none is left. */
  async helpLocally() {
    const kind = kindOf(this.type);
    for (let task = this.queue.shift(); task; task = this.queue.shift()) {
      await foldForecasts(kind, this.candles, task.fold, (x, m) => this.progress(task.index, x, m)).then(
        task.resolve,
        task.reject,
      );
    }
  }
}
