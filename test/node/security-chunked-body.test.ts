// Issue 12.5 over real HTTP: a chunked 2 MB POST gets 413 and the Worker under `wrangler dev` keeps
// serving; before the fix the next POST from any client got 503 "Your worker restarted mid-request".
import http from "node:http";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_ARTIFACT_BYTES } from "../../worker/config";
import { type LocalStack, STACK_HOOK_MS, startLocalStack } from "../helpers/local-stack";
import { REPLAY_FIXTURES } from "../helpers/replay-fixtures";

let stack: LocalStack;

function chunkedPost(
  url: string,
  bytes: number,
  to: { method: string; path: string; headers: Record<string, string> } = {
    method: "POST",
    path: "/api/auth/login",
    headers: { "content-type": "application/json" },
  },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(to.path, url);
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: `${u.pathname}${u.search}`,
        method: to.method,
        headers: { ...to.headers, "transfer-encoding": "chunked" },
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
  }, STACK_HOOK_MS);
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

  it("answers 413 to a chunked artifact upload past MAX_ARTIFACT_BYTES (issue 22.7)", async () => {
    // A trainer's token, minted as trainer/client.ts mints it from TRAINER_TOKEN.
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ ver: 0 })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject("big-upload")
      .setIssuer("moneymoney")
      .setAudience("trainer")
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(new TextEncoder().encode(stack.secrets.TRAINER_TOKEN));
    for (const mb of [33, 60]) {
      const big = await chunkedPost(stack.url, mb * 2 ** 20, {
        method: "PUT",
        path: "/api/trainer/jobs/1/artifact?worker_id=big-upload",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/octet-stream",
          "x-artifact-sha256": "0".repeat(64),
        },
      });
      expect([mb, big.status, big.body.slice(0, 200)]).toEqual([
        mb,
        413,
        expect.stringContaining("payload_too_large"),
      ]);
      expect(MAX_ARTIFACT_BYTES).toBeLessThan(mb * 2 ** 20);
    }
    const health = await fetch(`${stack.url}/api/health`);
    expect(health.status).toBe(200);
  });
});
