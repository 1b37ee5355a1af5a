// HS256 JWTs, one secret and one audience per kind of caller; verification pins both.
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { CLOCK_SKEW_SECONDS, SECRET_MIN_LENGTH, TOKEN_ISSUER, TOKEN_TTL_SECONDS } from "../config";
import { ApiError } from "../errors";

export type Audience = "user" | "admin" | "trainer" | "fleet";

export interface TokenClaims {
  sub: string;
  ver: number;
}

const SECRET_NAME = {
  user: "JWT_SECRET",
  admin: "ADMIN_JWT_SECRET",
  trainer: "TRAINER_TOKEN",
  // Minted only by the Worker (the TrainerFleet) for its container instances: no instance ever holds
  // TRAINER_TOKEN, and a fleet token cannot pass as another audience's.
  fleet: "FLEET_JWT_SECRET",
} as const satisfies Record<Audience, keyof Env>;

/** Whether `audience`'s secret is set (the fleet is optional: without its secret no instance starts). */
export const audienceConfigured = (env: Env, audience: Audience) =>
  (env[SECRET_NAME[audience]] ?? "").length >= SECRET_MIN_LENGTH;

/** The signing key of one audience; a missing or short secret is an operator error, never a 4xx. */
export function audienceKey(env: Env, audience: Audience): Uint8Array {
  const secret = env[SECRET_NAME[audience]];
  if (!secret || secret.length < SECRET_MIN_LENGTH) {
    throw new Error(`${SECRET_NAME[audience]} is not configured (at least ${SECRET_MIN_LENGTH} characters)`);
  }
  return new TextEncoder().encode(secret);
}

/** A token of `audience` for `claims.sub`, issued at `now` (seconds; tests date tokens in the past). */
export async function issueToken(
  env: Env,
  audience: Audience,
  claims: TokenClaims,
  now = Math.floor(Date.now() / 1000),
): Promise<string> {
  return new SignJWT({ ver: claims.ver })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.sub)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(now + TOKEN_TTL_SECONDS[audience])
    .sign(audienceKey(env, audience));
}

export async function verifyToken(env: Env, audience: Audience, token: string): Promise<TokenClaims> {
  const key = audienceKey(env, audience);
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ["HS256"],
      audience,
      issuer: TOKEN_ISSUER,
      requiredClaims: ["sub", "exp", "iat"],
    });
    // A token may live no longer than this audience's tokens are issued for (a trainer mints its own
    // tokens: one minted for ten years must not be a ten-year key), and is never dated ahead.
    const iat = payload.iat as number;
    const exp = payload.exp as number;
    if (exp - iat > TOKEN_TTL_SECONDS[audience] || iat > Date.now() / 1000 + CLOCK_SKEW_SECONDS) {
      throw new ApiError(
        401,
        "invalid_token",
        `The token's lifetime exceeds ${TOKEN_TTL_SECONDS[audience]} s or it is dated in the future`,
      );
    }
    return { sub: String(payload.sub), ver: typeof payload.ver === "number" ? payload.ver : 0 };
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired)
      throw new ApiError(401, "token_expired", "The token has expired");
    if (err instanceof joseErrors.JOSEError)
      throw new ApiError(401, "invalid_token", "The token is not valid");
    throw err;
  }
}

/** Constant-time comparison for shared secrets such as the bootstrap token (length is not secret). */
export function safeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  return x.length === y.length && crypto.subtle.timingSafeEqual(x, y);
}
