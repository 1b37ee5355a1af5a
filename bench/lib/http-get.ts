// The HTTP client of the latency benches. "http": node:http over one keep-alive connection per origin,
// asking for gzip/br like a browser and decoding the body; "fetch": Node's fetch() (undici), which on
// this machine adds ~3 ms to every request on its own (WHATWG streams), to both sides alike. A bench
// states which one its figures come from.
import http, { type IncomingHttpHeaders } from "node:http";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";

export type HttpClient = "http" | "fetch";

export interface Got {
  ms: number;
  status: number;
  text: string;
  etag: string | null;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const BROWSER_ENCODINGS = "gzip, deflate, br";

function decode(body: Buffer, encoding: string | undefined): Buffer {
  if (body.length === 0) return body; // a 304 or an empty answer
  if (encoding === "gzip") return gunzipSync(body);
  if (encoding === "br") return brotliDecompressSync(body);
  if (encoding === "deflate") return inflateSync(body);
  return body;
}

function viaHttp(url: string, headers: Record<string, string>): Promise<Got> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.get(
      url,
      { agent, headers: { "accept-encoding": BROWSER_ENCODINGS, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const h: IncomingHttpHeaders = res.headers;
          let text: string;
          try {
            text = decode(Buffer.concat(chunks), h["content-encoding"]).toString("utf8");
          } catch (err) {
            reject(
              new Error(`${url}: ${res.statusCode} ${h["content-encoding"]}: ${(err as Error).message}`),
            );
            return;
          }
          const etag = typeof h.etag === "string" ? h.etag : null;
          resolve({ ms: performance.now() - t0, status: res.statusCode ?? 0, text, etag });
        });
      },
    );
    req.on("error", reject);
  });
}

async function viaFetch(url: string, headers: Record<string, string>): Promise<Got> {
  const t0 = performance.now();
  const res = await fetch(url, { headers });
  const text = await res.text();
  return { ms: performance.now() - t0, status: res.status, text, etag: res.headers.get("etag") };
}

/** One GET, timed from the request to the decoded body. */
export const httpGet = (client: HttpClient, url: string, headers: Record<string, string> = {}) =>
  client === "http" ? viaHttp(url, headers) : viaFetch(url, headers);

export function parseClients(arg: string): HttpClient[] {
  if (arg === "both") return ["http", "fetch"];
  if (arg === "http" || arg === "fetch") return [arg];
  throw new Error(`--client must be http, fetch or both, not ${arg}`);
}

export const CLIENT_LABEL: Record<HttpClient, string> = {
  http: "node:http keep-alive client, gzip/br decoded",
  fetch: "Node's fetch()",
};
