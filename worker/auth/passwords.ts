// Argon2id password hashing (PHC strings) with the reference implementation compiled to WebAssembly.
// The wasm module comes from @phi-ag/argon2; we call its exports directly because its JS wrapper passes
// the UTF-16 length of the password instead of its UTF-8 byte length, which truncates non-ASCII input.
import argon2Module from "@phi-ag/argon2/argon2.wasm";
import { ARGON2 } from "../config";

interface Argon2Exports {
  memory: WebAssembly.Memory;
  _initialize(): void;
  malloc(n: number): number;
  free(ptr: number): void;
  argon2_encodedlen(t: number, m: number, p: number, saltLen: number, hashLen: number, type: number): number;
  argon2_hash(...args: number[]): number;
  argon2_verify(encodedPtr: number, pwdPtr: number, pwdLen: number, type: number): number;
}

const ARGON2ID = 2;
const VERSION_13 = 0x13;
const ARGON2_OK = 0;
const ARGON2_VERIFY_MISMATCH = -35;
let exportsCache: Argon2Exports | undefined;

function wasm(): Argon2Exports {
  if (!exportsCache) {
    const instance = new WebAssembly.Instance(argon2Module, {});
    exportsCache = instance.exports as unknown as Argon2Exports;
    exportsCache._initialize();
  }
  return exportsCache;
}

/** Copies bytes into wasm memory; the caller frees. */
function put(x: Argon2Exports, bytes: Uint8Array): number {
  const ptr = x.malloc(bytes.length || 1);
  new Uint8Array(x.memory.buffer).set(bytes, ptr);
  return ptr;
}

const utf8 = (s: string) => new TextEncoder().encode(s.normalize("NFC"));

export function hashPassword(password: string): string {
  const x = wasm();
  const pwd = utf8(password);
  const salt = crypto.getRandomValues(new Uint8Array(ARGON2.saltLength));
  const { memoryKiB: m, iterations: t, parallelism: p, hashLength } = ARGON2;
  const encodedLen = x.argon2_encodedlen(t, m, p, salt.length, hashLength, ARGON2ID);
  const pwdPtr = put(x, pwd);
  const saltPtr = put(x, salt);
  const hashPtr = x.malloc(hashLength);
  const encPtr = x.malloc(encodedLen);
  try {
    const rc = x.argon2_hash(
      t,
      m,
      p,
      pwdPtr,
      pwd.length,
      saltPtr,
      salt.length,
      hashPtr,
      hashLength,
      encPtr,
      encodedLen,
      ARGON2ID,
      VERSION_13,
    );
    if (rc !== ARGON2_OK) throw new Error(`argon2 failed (${rc})`);
    const heap = new Uint8Array(x.memory.buffer, encPtr, encodedLen);
    const end = heap.indexOf(0);
    return new TextDecoder().decode(heap.subarray(0, end < 0 ? encodedLen : end));
  } finally {
    new Uint8Array(x.memory.buffer).fill(0, pwdPtr, pwdPtr + pwd.length);
    for (const ptr of [pwdPtr, saltPtr, hashPtr, encPtr]) x.free(ptr);
  }
}

export function verifyPassword(encoded: string, password: string): boolean {
  if (!encoded.startsWith("$argon2id$")) return false;
  const x = wasm();
  const pwd = utf8(password);
  const encPtr = put(x, new TextEncoder().encode(`${encoded}\0`));
  const pwdPtr = put(x, pwd);
  try {
    const rc = x.argon2_verify(encPtr, pwdPtr, pwd.length, ARGON2ID);
    if (rc === ARGON2_OK) return true;
    if (rc === ARGON2_VERIFY_MISMATCH) return false;
    throw new Error(`argon2 verify failed (${rc})`);
  } finally {
    new Uint8Array(x.memory.buffer).fill(0, pwdPtr, pwdPtr + pwd.length);
    x.free(encPtr);
    x.free(pwdPtr);
  }
}

/** True when a stored hash uses weaker parameters than today's, so a login should re-hash it. */
export function needsRehash(encoded: string): boolean {
  const m = /\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(encoded);
  if (!m) return true;
  return Number(m[1]) < ARGON2.memoryKiB || Number(m[2]) < ARGON2.iterations;
}

/** The account when `password` matches its hash, else null; a missing account still costs one verification. */
export function matchPassword<T extends { passwordHash: string }>(
  account: T | undefined,
  password: string,
): T | null {
  if (!account) {
    burnVerify(password);
    return null;
  }
  return verifyPassword(account.passwordHash, password) ? account : null;
}

// Verified against when the account does not exist, so that a miss costs as much time as a hit.
let decoyHash: string | undefined;
export function burnVerify(password: string): void {
  decoyHash ??= hashPassword(crypto.randomUUID());
  verifyPassword(decoyHash, password);
}
