/// <reference path="./http-ece.d.ts" />
// A local push service speaking RFC 8030 enough for the Worker's Web Push: it hands out subscriptions
// (a P-256 key pair and auth secret per "browser", as PushManager.subscribe would), takes messages at
// their endpoints, checks each one's VAPID header (RFC 8292: an ES256 token for this origin, signed by the
// key it names) and decrypts it with http_ece (RFC 8188/8291 aes128gcm), the reference implementation,
// keeping what arrived for tests to read. A test can script the next answers (410, 429 with Retry-After,
// 500) to exercise removal and retries.
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import ece from "http_ece";
import { importJWK, jwtVerify } from "jose";

export interface Received {
  /** The decrypted payload, or null when it could not be decrypted. */
  payload: string | null;
  vapid: { ok: boolean; sub?: string; error?: string };
  encoding: string | null;
  ttl: string | null;
  at: number;
}

interface Browser {
  ecdh: crypto.ECDH;
  auth: Buffer;
  received: Received[];
  attempts: number;
  script: number[];
}

const b64u = (b: Buffer) => b.toString("base64url");

async function checkVapid(header: string | undefined, origin: string): Promise<Received["vapid"]> {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? "");
  if (!m) return { ok: false, error: "no vapid authorization" };
  const k = Buffer.from(m[2], "base64url");
  if (k.length !== 65 || k[0] !== 4) return { ok: false, error: "k is not an uncompressed P-256 point" };
  try {
    const key = await importJWK(
      { kty: "EC", crv: "P-256", x: b64u(k.subarray(1, 33)), y: b64u(k.subarray(33)) },
      "ES256",
    );
    const { payload } = await jwtVerify(m[1], key, { algorithms: ["ES256"], audience: origin });
    const exp = payload.exp ?? 0;
    if (exp > Date.now() / 1000 + 24 * 3600) return { ok: false, error: "exp beyond 24 h" };
    if (!/^(mailto:|https:)/.test(payload.sub ?? ""))
      return { ok: false, error: "sub is not mailto: or https:" };
    return { ok: true, sub: payload.sub };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

export async function startPushService(host = "127.0.0.1") {
  const browsers = new Map<string, Browser>();
  let origin = "";
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      const [, what, id] = (req.url ?? "").split("/");
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(value));
      };
      const b = browsers.get(id ?? "");
      if (req.method === "POST" && what === "subscribe") {
        const ecdh = crypto.createECDH("prime256v1");
        ecdh.generateKeys();
        const newId = crypto.randomUUID();
        browsers.set(newId, { ecdh, auth: crypto.randomBytes(16), received: [], attempts: 0, script: [] });
        const made = browsers.get(newId) as Browser;
        return json(201, {
          endpoint: `${origin}/push/${newId}`,
          keys: { p256dh: b64u(ecdh.getPublicKey()), auth: b64u(made.auth) },
        });
      }
      if (!b) return json(404, { error: "no such subscription" });
      if (req.method === "POST" && what === "script") {
        b.script.push(...(JSON.parse(body.toString()) as number[]));
        return json(200, { script: b.script });
      }
      if (req.method === "GET" && what === "messages")
        return json(200, { received: b.received, attempts: b.attempts });
      if (req.method === "POST" && what === "push") {
        b.attempts++;
        const scripted = b.script.shift();
        if (scripted) return json(scripted, { scripted }, scripted === 429 ? { "retry-after": "1" } : {});
        let payload: string | null = null;
        try {
          const plain = ece.decrypt(body, {
            version: "aes128gcm",
            privateKey: b.ecdh,
            authSecret: b64u(b.auth),
          });
          payload = Buffer.from(plain).toString("utf8");
        } catch {
          payload = null;
        }
        b.received.push({
          payload,
          vapid: await checkVapid(req.headers.authorization, origin),
          encoding: req.headers["content-encoding"] ?? null,
          ttl: (req.headers.ttl as string | undefined) ?? null,
          at: Date.now(),
        });
        res.writeHead(201, { location: `${origin}/message/${crypto.randomUUID()}` });
        return res.end();
      }
      return json(405, { error: "not here" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  origin = `http://${host}:${(server.address() as AddressInfo).port}`;
  return { url: origin, close: () => new Promise<void>((r) => server.close(() => r())) };
}
