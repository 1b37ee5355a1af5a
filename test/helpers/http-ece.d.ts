// The part of http_ece (no types of its own) the local push service uses.
declare module "http_ece" {
  import type { ECDH } from "node:crypto";

  interface Params {
    version?: "aes128gcm" | "aesgcm" | "aesgcm128";
    privateKey?: ECDH;
    authSecret?: string | Buffer;
    dh?: string | Buffer;
    keyid?: string;
    key?: string | Buffer;
  }
  const ece: {
    decrypt(buffer: Buffer, params: Params): Buffer;
    encrypt(buffer: Buffer, params: Params): Buffer;
  };
  export default ece;
}
