// The API docs page: Swagger UI served from our own assets (the CSP allows no CDN).
import { Hono } from "hono";
import type { AppEnv } from "../app-env";

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>MoneyMoney API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`;

export const docsRoutes = new Hono<AppEnv>().get("/docs", (c) => c.html(PAGE));
