// Checks an uploaded model artifact the way inference will read it, before it can become active.
import { kindOf, type ModelType } from "../../core/models/registry";
import "./tf-cpu";

export async function validateArtifact(type: ModelType, bytes: Uint8Array): Promise<void> {
  const kind = kindOf(type);
  const { model } = await kind.decode(bytes);
  kind.dispose(model);
}
