// The JavaScript heap of the Worker's isolate, read through the devtools inspector `wrangler dev` serves
// (--inspector-port): the Chrome DevTools Protocol over its WebSocket, HeapProfiler.collectGarbage and
// then Runtime.getHeapUsage (the isolate's used and allocated heap, not scoped to one context, and the
// ArrayBuffer backing stores it holds outside the heap).

export interface HeapUsage {
  /** bytes in use after a full collection */
  used: number;
  /** bytes the isolate has allocated for its heap */
  total: number;
  /** bytes outside the heap the isolate holds: ArrayBuffer backing stores (the caches' bytes among them) */
  backing: number;
}

export class InspectorHeap {
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener("message", (m) => {
      const msg = JSON.parse(String(m.data)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      const w = msg.id === undefined ? undefined : this.waiting.get(msg.id);
      if (!w) return; // an event (console, scripts parsed): not asked for
      this.waiting.delete(msg.id!);
      if (msg.error) w.reject(new Error(msg.error.message));
      else w.resolve(msg.result);
    });
    socket.addEventListener("close", () => {
      for (const w of this.waiting.values()) w.reject(new Error("the inspector closed its socket"));
      this.waiting.clear();
    });
  }

  /** Connects to the first target the inspector on `port` lists (wrangler dev lists the Worker's). */
  static async connect(port: number, timeoutMs = 60_000): Promise<InspectorHeap> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      try {
        const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as {
          webSocketDebuggerUrl?: string;
        }[];
        const url = targets.find((t) => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
        if (url) {
          // The inspector proxy takes devtools from local origins only; Node's WebSocket sends none.
          const socket = new WebSocket(url, { headers: { origin: "http://127.0.0.1" } } as never);
          await new Promise<void>((resolve, reject) => {
            socket.addEventListener("open", () => resolve());
            socket.addEventListener("error", () => reject(new Error(`inspector socket ${url} failed`)));
          });
          return new InspectorHeap(socket);
        }
      } catch (e) {
        if (Date.now() > until) throw e;
      }
      if (Date.now() > until) throw new Error(`no inspector target on port ${port}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  private send(method: string, params: object = {}, timeoutMs = 30_000): Promise<unknown> {
    const id = this.next++;
    this.socket.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${method}: no answer in ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  /**
   * The heap after a full garbage collection (what the isolate keeps, not what it has not freed yet), or
   * with `collect` false as it is (what a burst holds at the moment).
   */
  async usage(collect = true): Promise<HeapUsage> {
    if (collect) await this.send("HeapProfiler.collectGarbage");
    const r = (await this.send("Runtime.getHeapUsage")) as {
      usedSize: number;
      totalSize: number;
      backingStorageSize?: number;
    };
    return { used: r.usedSize, total: r.totalSize, backing: r.backingStorageSize ?? 0 };
  }

  close(): void {
    this.socket.close();
  }
}
