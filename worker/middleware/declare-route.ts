// What every admin route declares: its OpenAPI tag, the admin bearer scheme, and the check itself.
import { requireAdmin } from "./auth";

export const adminRoute = () => ({
  tags: ["admin"],
  security: [{ adminBearer: [] }],
  middleware: [requireAdmin()],
});
