// Bodies compressed once and served as they are. A built answer kept in memory is kept gzipped: the
// client that accepts gzip (every browser) gets those bytes untouched (`encodeBody: "manual"`), so a
// repeated answer costs no compression, where the runtime would otherwise gzip ~100 KB of JSON on every
// request (~3 ms under `wrangler dev`); a client that does not gets them inflated.
import type { Context, TypedResponse } from "hono";
import { parseAccept } from "hono/utils/accept";
import type { JSONParsed } from "hono/utils/types";

/** `bytes` gzipped by the platform's CompressionStream. */
export async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Whether the client takes gzip: listed with q > 0, or "*" with q > 0 and gzip not refused. Its own
 * Accept-Encoding: where the platform replaced the header (Cloudflare does; so does the proxy of
 * `wrangler dev`, which asks for gzip on behalf of a client that sent none), the client's original is
 * in `request.cf.clientAcceptEncoding`.
 */
export function acceptsGzip(c: Context): boolean {
  const cf = c.req.raw.cf as IncomingRequestCfProperties | undefined;
  const header = cf?.clientAcceptEncoding ?? c.req.header("Accept-Encoding");
  if (!header) return false;
  const q = (type: string) => parseAccept(header).find((a) => a.type.toLowerCase() === type)?.q;
  const gzip = q("gzip");
  return gzip !== undefined ? gzip > 0 : (q("*") ?? 0) > 0;
}

/**
 * The ETag of this client's representation of an answer tagged `tag` ("..."): the gzip and the
 * identity bytes are different representations, so they get different strong tags (RFC 9110 8.8.3).
 */
export function representationTag(c: Context, tag: string): string {
  return acceptsGzip(c) ? `${tag.slice(0, -1)}-gzip"` : tag;
}

/** Whether the client's If-None-Match lists `etag` (weak comparison, as RFC 9110 13.1.2 says). */
export function matchesIfNoneMatch(c: Context, etag: string): boolean {
  const header = c.req.header("if-none-match");
  if (!header) return false;
  if (header.trim() === "*") return true;
  const strip = (t: string) => t.trim().replace(/^W\//, "");
  return header.split(",").some((t) => strip(t) === strip(etag));
}

/**
 * A 200 of a gzipped JSON body: sent as stored to a client that accepts gzip, inflated for one that
 * does not. Either way it varies by Accept-Encoding.
 */
export function gzippedJson(c: Context, gz: Uint8Array, headers: Record<string, string>): Response {
  const all = { ...headers, "content-type": "application/json", vary: "Accept-Encoding" };
  if (acceptsGzip(c))
    return new Response(gz, {
      status: 200,
      headers: { ...all, "content-encoding": "gzip" },
      encodeBody: "manual",
    });
  const plain = new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(plain, { status: 200, headers: all });
}

/**
 * A 200 of a JSON body built by this request, sent as it is (the runtime encodes it for the client);
 * its gzip is made in the background and handed to `keep`, for the requests after this one.
 */
export function freshJson(
  c: Context,
  json: string,
  headers: Record<string, string>,
  keep: (gz: Uint8Array) => unknown,
): Response {
  const body = new TextEncoder().encode(json);
  c.executionCtx.waitUntil(
    gzip(body)
      .then(keep)
      .catch(() => {}),
  );
  return new Response(body, {
    status: 200,
    headers: { ...headers, "content-type": "application/json", vary: "Accept-Encoding" },
  });
}

/**
 * The JSON answer built from `source` (an object this isolate keeps, e.g. a memoised forecast): built
 * and sent as is the first time, gzipped in the background and sent gzipped from then on, for as long
 * as `source` lives.
 */
export function jsonOf<T extends object, A>(
  c: Context,
  kept: WeakMap<T, Uint8Array>,
  source: T,
  build: () => A,
): Response & TypedResponse<JSONParsed<A>, 200, "json"> {
  // Typed as c.json(build(), 200) would be, so that the route's schema still checks the answer.
  type Answer = Response & TypedResponse<JSONParsed<A>, 200, "json">;
  const gz = kept.get(source);
  if (gz) return gzippedJson(c, gz, {}) as Answer;
  return freshJson(c, JSON.stringify(build()), {}, (z) => kept.set(source, z)) as Answer;
}
