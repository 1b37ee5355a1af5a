// A minimal WebSocket client over node:http's upgrade (text frames from the server only), so a bench
// can hold hundreds of sockets on Node 20 without a dependency.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { Socket } from "node:net";

export interface TextSocket {
  close(): void;
}

/** Opens `url` (http://...) as a WebSocket; `onText` gets every text message. */
export function openTextSocket(url: string, onText: (text: string) => void): Promise<TextSocket> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      agent: false,
      headers: {
        connection: "Upgrade",
        upgrade: "websocket",
        "sec-websocket-version": "13",
        "sec-websocket-key": randomBytes(16).toString("base64"),
      },
    });
    req.on("response", (res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    req.on("error", reject);
    req.on("upgrade", (_res, socket: Socket, head: Buffer) => {
      let buf = head;
      socket.on("data", (chunk: Buffer) => {
        buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
        for (;;) {
          if (buf.length < 2) return;
          let len = buf[1] & 0x7f;
          let at = 2;
          if (len === 126) {
            if (buf.length < 4) return;
            len = buf.readUInt16BE(2);
            at = 4;
          } else if (len === 127) {
            if (buf.length < 10) return;
            len = Number(buf.readBigUInt64BE(2));
            at = 10;
          }
          if (buf.length < at + len) return;
          if ((buf[0] & 0x0f) === 1) onText(buf.subarray(at, at + len).toString("utf8"));
          buf = buf.subarray(at + len);
        }
      });
      socket.on("error", () => {});
      resolve({ close: () => socket.destroy() });
    });
    req.end();
  });
}
