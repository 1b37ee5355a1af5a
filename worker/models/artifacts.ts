// Checks an uploaded model artifact the way inference will read it, before it can become active.
import { loadNet } from "../../core/models/artifact";
import "./tf-cpu";
import { type ModelType, parseStatArtifact } from "../../core/models/model-types";

export async function validateArtifact(type: ModelType, bytes: Uint8Array): Promise<void> {
  if (type === "arima" || type === "garch") {
    parseStatArtifact(type, bytes);
    return;
  }
  const net = await loadNet(bytes);
  try {
    if (net.meta.kind !== type) throw new Error(`artifact holds a ${net.meta.kind} net, not ${type}`);
  } finally {
    net.model.dispose();
  }
}
