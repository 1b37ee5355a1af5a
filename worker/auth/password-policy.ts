// Refuses weak new passwords (OWASP ASVS 5.0 6.2.4): too short or long, equal to the email, or among the
// most common passwords. The list is zxcvbn-ts's (ranked from breach corpora); it is loaded on the first
// check rather than at start-up, so only requests that set a password pay for decoding it.
import { NEW_PASSWORD, PASSWORD_RULE, passwordShapeProblem } from "../../core/auth/password-rule";
import { ApiError } from "../errors";

// Kept as the set itself, never as the promise of the request that loaded it (see worker/single-flight.ts).
let common: Set<string> | null = null;

/** The common passwords that the length rule alone would let through. */
async function commonPasswords(): Promise<Set<string>> {
  if (common) return common;
  const m = await import("@zxcvbn-ts/language-common/dist/passwords.json.mjs");
  common ??= new Set(m.default.filter((p) => p.length >= NEW_PASSWORD.min));
  return common;
}

/** The reason a new password is refused, or null when it may be used. */
export async function weakPasswordReason(
  password: string,
  email: string | undefined,
): Promise<string | null> {
  const shape = passwordShapeProblem(password, email);
  if (shape) return shape;
  // The list is lower case; "Password1" is as guessable as "password1".
  if ((await commonPasswords()).has(password.toLowerCase()))
    return "This is one of the most common passwords: attackers try it first.";
  return null;
}

/** Throws 400 weak_password, naming the problem and the whole rule, when the password is weak. */
export async function assertStrongPassword(password: string, email: string | undefined): Promise<void> {
  const reason = await weakPasswordReason(password, email);
  if (reason) throw new ApiError(400, "weak_password", `${reason} Passwords need ${PASSWORD_RULE}`);
}
