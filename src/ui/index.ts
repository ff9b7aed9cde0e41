/**
 * The built-in pages: /dashboard and /docs with their scripts and stylesheets. `uiRoutes` serves
 * every path of `uiAssets` with the security headers of assets.ts (the CSP among them); mount it
 * with `app.route('/', uiRoutes)`. The pages need no key to load: they hold no data, and ask the
 * API for it with the key the user types.
 */
import { Hono } from 'hono';
import { dashboardAssets } from './dashboard.js';
import { docsAssets } from './docs.js';
import { uiResponse, type UiAsset } from './assets.js';

export { dashboardAssets, docsAssets };
export { UI_CSP, UI_SECURITY_HEADERS, uiResponse, type UiAsset } from './assets.js';

export const uiAssets: Readonly<Record<string, UiAsset>> = { ...dashboardAssets, ...docsAssets };

export const uiRoutes = new Hono();
for (const [path, asset] of Object.entries(uiAssets)) uiRoutes.get(path, () => uiResponse(asset));
