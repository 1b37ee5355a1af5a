// The shell: starfield, routing by path, lazy loading of the heavy pages (chart, admin).
import type { ComponentType } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { Starfield } from "./components/starfield";
import { Spinner } from "./components/ui";
import { AuthPage } from "./pages/auth";
import { LandingPage } from "./pages/landing";
import { NotFoundPage } from "./pages/not-found";
import { ProfilePage } from "./pages/profile";
import { routePath } from "./state/router";

type Loader = () => Promise<ComponentType>;

// Pages with the chart library or the admin console load on first visit, keeping the landing page light.
const LAZY: Record<string, Loader> = {
  "/dashboard": () => import("./pages/dashboard").then((m) => m.DashboardPage),
  "/admin": () => import("./pages/admin").then((m) => m.AdminPage),
};

const EAGER: Record<string, ComponentType> = {
  "/": LandingPage,
  "/auth": AuthPage,
  "/profile": ProfilePage,
};

const TITLES: Record<string, string> = {
  "/": "MoneyMoney — AI forecasts for traders",
  "/auth": "Sign in — MoneyMoney",
  "/dashboard": "Dashboard — MoneyMoney",
  "/profile": "Profile — MoneyMoney",
  "/admin": "Admin — MoneyMoney",
};

function LazyPage({ load }: { load: Loader }) {
  const [Page, setPage] = useState<ComponentType | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    load()
      .then((component) => live && setPage(() => component))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [load]);
  if (failed) {
    return (
      <main class="page page--center">
        <p class="muted">This page could not load. A new version may have been deployed: reload the page.</p>
      </main>
    );
  }
  if (!Page) {
    return (
      <main class="page page--center" aria-busy="true">
        <Spinner label="Loading page" />
      </main>
    );
  }
  return <Page />;
}

export function App() {
  const path = routePath.value.replace(/\/+$/, "") || "/";
  const firstPath = useRef(path);
  useEffect(() => {
    document.title = TITLES[path] ?? "Not found — MoneyMoney";
    // After an in-app navigation, move focus to the new page so screen readers announce it.
    if (path !== firstPath.current) {
      firstPath.current = "";
      requestAnimationFrame(() => document.getElementById("main")?.focus({ preventScroll: true }));
    }
  }, [path]);
  const Eager = EAGER[path];
  const lazy = LAZY[path];
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <Starfield />
      {Eager ? <Eager /> : lazy ? <LazyPage key={path} load={lazy} /> : <NotFoundPage />}
    </>
  );
}
