// A small JSON client for the demo's calls to its own Worker.
export class DemoClient {
  constructor(readonly url: string) {}

  async call(
    method: string,
    p: string,
    token?: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const res = await fetch(`${this.url}${p}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: the demo reads a few fields of each answer
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = { error: { code: "not_json", message: text.slice(0, 200) } };
    }
    return { status: res.status, json };
  }

  /** The answer's JSON, or an error naming the call and the Worker's message. */
  // biome-ignore lint/suspicious/noExplicitAny: see call()
  async ok(method: string, p: string, token?: string, body?: unknown): Promise<any> {
    const res = await this.call(method, p, token, body);
    if (res.status >= 400) {
      throw new Error(
        `${method} ${p}: ${res.status} ${res.json?.error?.message ?? JSON.stringify(res.json)}`,
      );
    }
    return res.json;
  }

  async waitHealthy(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const up = await fetch(`${this.url}/api/health`)
        .then((r) => r.status < 500)
        .catch(() => false);
      if (up) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`the Worker did not answer at ${this.url} within ${timeoutMs / 1000} s`);
  }
}
