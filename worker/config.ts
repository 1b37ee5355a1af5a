// Numbers that matter, in one place.
export const PASSWORD_MIN = 8;
// Long enough for any passphrase, short enough that hashing cannot be turned into a CPU attack.
export const PASSWORD_MAX = 256;
export const EMAIL_MAX = 254;
export const NAME_MAX = 100;

// OWASP Password Storage Cheat Sheet: Argon2id, 19 MiB, 2 iterations, 1 lane (the minimum it lists).
export const ARGON2 = { memoryKiB: 19_456, iterations: 2, parallelism: 1, hashLength: 32, saltLength: 16 };

export const TOKEN_ISSUER = "moneymoney";
export const TOKEN_TTL_SECONDS = { user: 24 * 3600, admin: 8 * 3600, trainer: 15 * 60 } as const;
export const SECRET_MIN_LENGTH = 32;

// Failed logins: per account and per client address. Blocks grow from 1 minute and never exceed 15.
export const THROTTLE = {
  windowSeconds: 15 * 60,
  accountFailures: 5,
  clientFailures: 20,
  firstBlockSeconds: 60,
  maxBlockSeconds: 15 * 60,
};

export const MAX_BODY_BYTES = 1024 * 1024;
export const PROFILE_SYMBOL = /^[A-Z0-9]{2,20}$/;
export const STALE_AFTER_SECONDS = 5 * 60;
