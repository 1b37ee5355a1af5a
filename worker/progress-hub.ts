import { DurableObject } from "cloudflare:workers";
export class ProgressHub extends DurableObject<Env> {}
