// The R2 layout of model artifacts, and the only module that knows it:
//   models/SYMBOL/MODEL_TYPE/job-JOB-aATTEMPT.bin
// One key per upload attempt, so a retried job never overwrites what an earlier attempt left. Objects are
// written with their sha256 (R2 refuses a body that does not match it) and the same digest in metadata,
// which completion checks before a version may point at the object.

const PREFIX = "models/";

/** Every artifact of one instrument: all its model types and versions. */
const symbolPrefix = (symbol: string) => `${PREFIX}${symbol}/`;

/** Where the upload of one attempt of a training job lives. */
export const artifactKey = (
  symbol: string,
  job: { id: number; modelType: string | null; attempts: number },
) => `${symbolPrefix(symbol)}${job.modelType}/job-${job.id}-a${job.attempts}.bin`;

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Stores an artifact whose sha256 the caller computed; R2 verifies the body against it. */
export async function putArtifact(
  bucket: R2Bucket,
  key: string,
  bytes: Uint8Array,
  sha256: string,
  jobId: number,
) {
  await bucket.put(key, bytes, { sha256, customMetadata: { sha256, job: String(jobId) } });
}

/** The stored object's size when it exists and carries this sha256, else null. */
export async function verifyArtifact(bucket: R2Bucket, key: string, sha256: string): Promise<number | null> {
  const head = await bucket.head(key);
  return head && head.customMetadata?.sha256 === sha256 ? head.size : null;
}

/** The bytes of an artifact; throws when the object is missing. */
export async function loadArtifact(bucket: R2Bucket, key: string): Promise<Uint8Array> {
  const obj = await bucket.get(key);
  if (!obj) throw new Error(`artifact ${key} is missing`);
  return new Uint8Array(await obj.arrayBuffer());
}

/** Deletes artifacts of versions that are no longer kept (R2 takes up to 1000 keys a call). */
export async function deleteArtifacts(bucket: R2Bucket, keys: readonly string[]) {
  for (let i = 0; i < keys.length; i += 1000) await bucket.delete(keys.slice(i, i + 1000));
}

/** Deletes every artifact of an instrument, whatever job, attempt or version left it. */
export async function deleteSymbolArtifacts(bucket: R2Bucket, symbol: string) {
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: symbolPrefix(symbol), cursor });
    await deleteArtifacts(
      bucket,
      page.objects.map((o) => o.key),
    );
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}
