// Follows a growing log file (wrangler dev's output): each call returns the whole lines added since the
// last, reading only what the file gained (the benches share the CPU with what they measure).
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

export function logFollower(file: string, offset = 0): () => string {
  let tail = "";
  return () => {
    const fd = openSync(file, "r");
    const size = fstatSync(fd).size;
    const chunk = Buffer.alloc(Math.max(0, size - offset));
    readSync(fd, chunk, 0, chunk.length, offset);
    closeSync(fd);
    offset = size;
    const text = tail + chunk.toString("utf8");
    const cut = text.lastIndexOf("\n") + 1;
    tail = text.slice(cut);
    return text.slice(0, cut);
  };
}

/** The file's size now: where a follower starts to see only what comes next. */
export function logSize(file: string): number {
  const fd = openSync(file, "r");
  const size = fstatSync(fd).size;
  closeSync(fd);
  return size;
}
