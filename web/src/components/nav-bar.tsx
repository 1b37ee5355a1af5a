// The top bar: brand, the pages a visitor may open, and sign in / sign out.

import { currentUser, isSignedIn, signOutUser } from "../session";
import { navigate, routePath } from "../state/router";
import { NotificationBell } from "./notification-bell";
import { Link, Logo } from "./ui";

function NavLink({ href, label }: { href: string; label: string }) {
  const active = routePath.value === href;
  return (
    <Link
      href={href}
      class={`nav__link ${active ? "is-active" : ""}`}
      aria-current={active ? "page" : undefined}
    >
      {label}
    </Link>
  );
}

export function NavBar({ variant = "app" }: { variant?: "app" | "admin" }) {
  const signedIn = isSignedIn.value;
  const signOut = () => {
    signOutUser();
    navigate("/");
  };
  return (
    <header class="nav">
      <div class="nav__inner">
        <Link href="/" class="nav__brand" aria-label="MoneyMoney home">
          <Logo />
          <span class="nav__name">MoneyMoney</span>
          {variant === "admin" && <span class="nav__badge">Admin</span>}
        </Link>
        <nav class="nav__links" aria-label="Main">
          {variant === "app" && signedIn && <NavLink href="/dashboard" label="Dashboard" />}
          {variant === "app" && signedIn && <NavLink href="/profile" label="Profile" />}
          {variant === "admin" && <NavLink href="/dashboard" label="Dashboard" />}
        </nav>
        <div class="nav__end">
          {variant === "app" && signedIn && (
            <>
              <NotificationBell />
              <span class="nav__user" title={currentUser.value?.email}>
                {currentUser.value?.email}
              </span>
              <button type="button" class="btn btn--ghost btn--sm" onClick={signOut}>
                Sign out
              </button>
            </>
          )}
          {variant === "app" && !signedIn && (
            <>
              <Link href="/auth" class="btn btn--ghost btn--sm">
                Sign in
              </Link>
              <Link href="/auth?tab=signup" class="btn btn--primary btn--sm">
                Get started
              </Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}
