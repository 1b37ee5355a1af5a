import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// Each test file gets its own isolated storage; the real migrations build its tables.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
