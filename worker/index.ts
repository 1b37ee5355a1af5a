import { createApp } from "./app";
export { ProgressHub } from "./progress-hub";

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
