// A user of the local Worker as the benches sign in: JSON POSTs to the auth routes, the session they answer.
import type { AuthAnswer } from "../../worker/contract";

export interface Account {
  email: string;
  password: string;
}

/** POSTs `body` as JSON; the answer as it came. */
export const postJson = (base: string, p: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${p}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

/** Logs an existing account in; throws with the answer when it is refused. */
export async function logIn(base: string, account: Account): Promise<AuthAnswer> {
  const res = await postJson(base, "/api/auth/login", account);
  if (!res.ok) throw new Error(`login: ${res.status} ${await res.text()}`);
  return (await res.json()) as AuthAnswer;
}

/** Logs the account in, signing it up first when it does not exist yet (`headers`: say, the client's address). */
export async function signIn(
  base: string,
  account: Account,
  headers: Record<string, string> = {},
): Promise<AuthAnswer> {
  let res = await postJson(base, "/api/auth/login", account, headers);
  if (res.status === 401) res = await postJson(base, "/api/auth/signup", account, headers);
  if (!res.ok) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
  return (await res.json()) as AuthAnswer;
}
