// Copies Swagger UI into web/dist/docs so /api/docs works offline and under a 'self'-only CSP.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getAbsoluteFSPath } from "swagger-ui-dist";

const out = path.resolve(import.meta.dirname, "../web/dist/docs");
mkdirSync(out, { recursive: true });
for (const file of ["swagger-ui-bundle.js", "swagger-ui.css"]) {
  copyFileSync(path.join(getAbsoluteFSPath(), file), path.join(out, file));
}
writeFileSync(
  path.join(out, "init.js"),
  'window.ui = SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#swagger-ui", deepLinking: true });\n',
);
