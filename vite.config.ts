// Builds the Preact front end from web/ into web/dist, which the Worker serves as static assets.
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

// `npm run dev` serves the Worker here; `vite` alone proxies the API to it for fast UI work.
const WORKER_ORIGIN = process.env.WORKER_URL ?? "http://localhost:8787";

export default defineConfig({
  root: "web",
  publicDir: "public",
  plugins: [preact({ devToolsEnabled: false })],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
  },
  server: {
    proxy: { "/api": { target: WORKER_ORIGIN, changeOrigin: true, ws: true } },
  },
});
