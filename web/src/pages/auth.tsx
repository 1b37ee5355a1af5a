// "/auth": sign in and sign up in one card with two tabs.
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { AuthCard } from "../components/auth-card";
import { FormEnd, useSubmit } from "../components/form-submit";
import { NavBar } from "../components/nav-bar";
import { newPasswordProblem, PasswordField } from "../components/password-field";
import { Field, Link } from "../components/ui";
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

  useEffect(() => {
    if (isSignedIn.value) navigate(next, true);
  }, [next]);

  const form = useSubmit({
    check: () => {
      if (tab !== "signup") return null;
      return (
        newPasswordProblem(password, email) ?? (password !== confirm ? "The two passwords differ." : null)
      );
    },
    send: async () => {
      const answer =
        tab === "signup" ? await api.signup(email.trim(), password) : await api.login(email.trim(), password);
      signInUser(answer.token, answer.user);
      navigate(next, true);
    },
    explain: (e) => authMessage(e, tab),
  });

  const switchTo = (t: Tab) => {
    form.clear();
    setQuery({ tab: t === "signup" ? "signup" : null });
  };

  return (
    <>
      <NavBar />
      <main id="main" class="page page--center" tabIndex={-1}>
        <AuthCard
          id="auth"
          title={tab === "signup" ? "Create your account" : "Welcome back"}
          lead={
            tab === "signup"
              ? "Charts, forecasts and signals for every instrument your admins train."
              : "Sign in to open your dashboard."
          }
          tabs={{ login: "Sign in", signup: "Sign up" }}
          tabsLabel="Sign in or sign up"
          tab={tab}
          onTab={switchTo}
          foot={
            <>
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
            </>
          }
        >
          <form class="form" onSubmit={form.submit}>
            <Field
              label="Email"
              type="email"
              autoComplete="email"
              required
              value={email}
              onValue={setEmail}
            />
            <PasswordField
              label="Password"
              purpose={tab === "signup" ? "new" : "current"}
              value={password}
              onValue={setPassword}
            />
            {tab === "signup" && (
              <PasswordField
                label="Confirm password"
                purpose="confirm"
                value={confirm}
                onValue={setConfirm}
              />
            )}
            <FormEnd
              form={form}
              label={tab === "signup" ? "Create account" : "Sign in"}
              busyText="Please wait…"
              class="btn--block"
            />
          </form>
        </AuthCard>
      </main>
    </>
  );
}
