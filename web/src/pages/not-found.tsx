// Any other path: say so and offer the way back.
import { NavBar } from "../components/nav-bar";
import { Link } from "../components/ui";

export function NotFoundPage() {
  return (
    <>
      <NavBar />
      <main id="main" class="page page--center" tabIndex={-1}>
        <section class="card empty">
          <p class="empty__code gradient-text">404</p>
          <h1>This page does not exist</h1>
          <p class="muted">The address may be mistyped, or the page has moved.</p>
          <Link href="/" class="btn btn--primary">
            Go to the home page
          </Link>
        </section>
      </main>
    </>
  );
}
