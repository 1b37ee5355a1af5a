// "/auth": sign in and sign up in one card with two tabs.
import { useEffect, useState } from "preact/hooks";
import { NEW_PASSWORD, PASSWORD_RULE, passwordShapeProblem } from "../../../core/auth/password-rule";
import { api } from "../api";
import { NavBar } from "../components/nav-bar";
import { Alert, Field, Link } from "../components/ui";
import { isSignedIn, signInUser } from "../session";
import { navigate, queryParam, safeNext, setQuery } from "../state/router";
import { ApiError, messageOf } from "../transport";

type Tab = "login" | "signup";

function authMessage(error: unknown, tab: Tab): string {
  if (error instanceof ApiError) {
    if (error.status === 401 && tab === "login") return "Wrong email or password.";
    if (error.status === 409) return "An account with this email already exists. Sign in instead.";
  }
  return messageOf(error);
}

export function AuthPage() {
  const tab: Tab = queryParam("tab") === "signup" ? "signup" : "login";
  const next = safeNext(queryParam("next"), "/dashboard");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (isSignedIn.value) navigate(next, true);
  }, [next]);

  const switchTo = (t: Tab) => {
    setError(null);
    setQuery({ tab: t === "signup" ? "signup" : null });
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    const weak = tab === "signup" ? passwordShapeProblem(password, email) : null;
    if (weak) {
      setError(`${weak} Passwords need ${PASSWORD_RULE}`);
      return;
    }
    if (tab === "signup" && password !== confirm) {
      setError("The two passwords differ.");
      return;
    }
    setBusy(true);
    try {
      const answer =
        tab === "signup" ? await api.signup(email.trim(), password) : await api.login(email.trim(), password);
      signInUser(answer.token, answer.user);
      navigate(next, true);
    } catch (e) {
      setError(authMessage(e, tab));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <NavBar />
      <main id="main" class="page page--center" tabIndex={-1}>
        <section class="card auth-card" aria-labelledby="auth-title">
          <h1 id="auth-title" class="auth-card__title">
            {tab === "signup" ? "Create your account" : "Welcome back"}
          </h1>
          <p class="muted auth-card__lead">
            {tab === "signup"
              ? "Charts, forecasts and signals for every instrument your admins train."
              : "Sign in to open your dashboard."}
          </p>
          <div class="tabs" role="tablist" aria-label="Sign in or sign up">
            {(["login", "signup"] as const).map((t) => (
              <button
                key={t}
                type="button"
                role="tab"
                id={`tab-${t}`}
                aria-selected={tab === t}
                aria-controls="auth-panel"
                class={`tabs__tab ${tab === t ? "is-active" : ""}`}
                onClick={() => switchTo(t)}
              >
                {t === "login" ? "Sign in" : "Sign up"}
              </button>
            ))}
          </div>
          <div id="auth-panel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
            <form class="form" onSubmit={submit}>
              <Field
                label="Email"
                type="email"
                autoComplete="email"
                required
                value={email}
                onValue={setEmail}
              />
              <Field
                label="Password"
                type="password"
                autoComplete={tab === "signup" ? "new-password" : "current-password"}
                required
                minLength={tab === "signup" ? NEW_PASSWORD.min : undefined}
                maxLength={tab === "signup" ? NEW_PASSWORD.max : undefined}
                hint={tab === "signup" ? `Passwords need ${PASSWORD_RULE}` : undefined}
                value={password}
                onValue={setPassword}
              />
              {tab === "signup" && (
                <Field
                  label="Confirm password"
                  type="password"
                  autoComplete="new-password"
                  required
                  value={confirm}
                  onValue={setConfirm}
                />
              )}
              {error && <Alert>{error}</Alert>}
              <button type="submit" class="btn btn--primary btn--block" disabled={busy}>
                {busy ? "Please wait…" : tab === "signup" ? "Create account" : "Sign in"}
              </button>
            </form>
          </div>
          <p class="muted auth-card__foot">
            {tab === "signup" ? "Already have an account? " : "New to MoneyMoney? "}
            <button
              type="button"
              class="link-button"
              onClick={() => switchTo(tab === "signup" ? "login" : "signup")}
            >
              {tab === "signup" ? "Sign in" : "Create one"}
            </button>
          </p>
          <p class="muted auth-card__foot">
            <Link href="/">← Back to the home page</Link>
          </p>
        </section>
      </main>
    </>
  );
}
