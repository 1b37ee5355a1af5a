// Issue 12.5 over real HTTP: a chunked 2 MB POST gets 413 and the Worker under `wrangler dev` keeps
// serving; before the fix the next POST from any client got 503 "Your worker restarted mid-request".
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "../helpers/local-stack";
import { REPLAY_FIXTURES } from "../helpers/replay-fixtures";

let stack: LocalStack;

function chunkedPost(url: string, bytes: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL("/api/auth/login", url);
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: "POST",
        headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
      },
      (res) => {
        let body = "";
        res.on("data", (d) => {
          body += d;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    const chunk = Buffer.alloc(65_536, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

describe("a chunked oversize body under wrangler dev", () => {
  beforeAll(async () => {
    stack = await startLocalStack({
      files: [`${REPLAY_FIXTURES}/XBTUSDT-1m-2024-01.csv.gz`],
      nowAt: "2024-01-02T00:00:00Z",
    });
  }, 120_000);
  afterAll(async () => stack?.stop());

  it("answers 413 and the next POSTs are served (3 of 3)", async () => {
    for (let round = 0; round < 3; round++) {
      const big = await chunkedPost(stack.url, 2 * 1024 * 1024);
      expect(big.status).toBe(413);
      expect(JSON.parse(big.body).error.code).toBe("payload_too_large");
      const next = await fetch(`${stack.url}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "nobody@example.com", password: "not the password" }),
      });
      expect(next.status).toBe(401);
    }
  });
});
