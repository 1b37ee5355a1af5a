// Pages for signed-in users send everyone else to /auth, remembering where they were going.
import { useEffect } from "preact/hooks";
import { isSignedIn } from "../session";
import { authUrl, navigate } from "./router";

export function useRequireUser(): boolean {
  const ok = isSignedIn.value;
  useEffect(() => {
    if (!ok) navigate(authUrl(), true);
  }, [ok]);
  return ok;
}
