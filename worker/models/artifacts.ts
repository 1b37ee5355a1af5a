// Checks an uploaded model artifact the way inference will read it, before it can become active.
import { kindOf, type ModelType } from "../../core/models/registry";

export async function validateArtifact(type: ModelType, bytes: Uint8Array): Promise<void> {
  const kind = kindOf(type);
  const { model } = await kind.decode(bytes);
  kind.dispose(model);
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
