// The trainer's sub-app: each declared route (trainer.routes.ts) with its handler (trainer.handlers.ts).
import { createRouter } from "../../app-env";
import * as handlers from "./trainer.handlers";
import * as routes from "./trainer.routes";

export const trainerRoutes = createRouter()
  .openapi(routes.claim, handlers.claim)
  .openapi(routes.progress, handlers.progress)
  .openapi(routes.candles, handlers.candles)
  .openapi(routes.upload, handlers.upload)
  .openapi(routes.complete, handlers.complete)
  .openapi(routes.fail, handlers.fail)
  .openapi(routes.release, handlers.release)
  .openapi(routes.renew, handlers.renew);
