// "/admin": sign in (or bootstrap the first admin), then run the data and model pipeline.
import { useEffect } from "preact/hooks";
import { ActionsPanel } from "../components/admin-actions";
import { AdminAuth } from "../components/admin-auth";
import { AddAdmin, LiveFeed } from "../components/admin-extras";
import { JobsPanel } from "../components/admin-jobs";
import { ModelsPanel } from "../components/admin-models";
import { ProfilesPanel } from "../components/admin-profiles";
import { TrackRecordsPanel } from "../components/admin-track-record";
import { NavBar } from "../components/nav-bar";
import "../styles/admin.css";
import "../styles/admin-phone.css";
import "../styles/admin-work.css";
import "../styles/record.css";
import "../styles/admin-record.css";
import { adminSessionExpired, adminToken, currentAdmin, signOutAdmin } from "../session";
import { loadJobs, loadModels, loadProfiles, loadTrainers } from "../state/admin";
import { startLive } from "../state/admin-live";

function Console() {
  useEffect(() => {
    void loadProfiles(false);
    void loadJobs(false);
    void loadModels(false);
    void loadTrainers(false);
    return startLive();
  }, []);
  const admin = currentAdmin.value;
  return (
    <>
      <header class="page-head admin-head">
        <div>
          <h1>Admin console</h1>
          <p class="muted">
            Signed in as {admin?.name ?? "admin"} ({admin?.email})
          </p>
        </div>
        <button type="button" class="btn btn--ghost btn--sm" onClick={() => signOutAdmin()}>
          Sign out
        </button>
      </header>
      <div class="admin-grid">
        <div class="admin-col">
          <ProfilesPanel />
          <JobsPanel />
        </div>
        <div class="admin-col">
          <ActionsPanel />
          <LiveFeed />
          <AddAdmin />
        </div>
        <ModelsPanel />
        <TrackRecordsPanel />
      </div>
    </>
  );
}

export function AdminPage() {
  const signedIn = adminToken.value !== null;
  return (
    <>
      <NavBar variant="admin" />
      <main id="main" class={`page ${signedIn ? "admin" : "page--center"}`} tabIndex={-1}>
        {signedIn ? (
          <Console />
        ) : (
          <AdminAuth notice={adminSessionExpired.value ? "Your admin session ended. Sign in again." : null} />
        )}
      </main>
    </>
  );
}
