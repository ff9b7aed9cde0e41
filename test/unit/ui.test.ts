/**
 * The built-in pages as static assets: what the CSP allows must be all they need (no inline code,
 * nothing from another origin), their scripts must parse, and they must never hand data to an
 * HTML parser. The browser test (test/browser) checks them for real.
 */
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { uiAssets, uiResponse, uiRoutes, UI_CSP } from '../../src/ui/index.js';

const entries = Object.entries(uiAssets);
const pages = entries.filter(([, a]) => a.type.startsWith('text/html'));
const scripts = entries.filter(([, a]) => a.type.startsWith('text/javascript'));
const styles = entries.filter(([, a]) => a.type.startsWith('text/css'));

describe('built-in pages', () => {
  it('has a page, a script and a stylesheet for /dashboard and /docs', () => {
    expect(Object.keys(uiAssets).sort()).toEqual([
      '/dashboard', '/dashboard/app.css', '/dashboard/app.js', '/docs', '/docs/app.css', '/docs/app.js',
    ]);
  });

  it.each(scripts)('%s parses as a script', (_path, asset) => {
    expect(() => new Script(asset.body)).not.toThrow();
  });

  it.each(scripts)('%s never parses strings as HTML or code', (_path, asset) => {
    expect(asset.body).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|setAttribute\(\s*['"]on/);
  });

  it.each(pages)('%s loads only its own same-origin assets, no inline code', (_path, asset) => {
    const html = asset.body;
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    const refs = [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
    for (const ref of refs) {
      if (ref === 'data:,') continue;
      expect(ref, ref).toMatch(/^\/[a-z]/);
      if (/\.(js|css)$/.test(ref)) expect(uiAssets[ref], ref).toBeDefined();
    }
    for (const tag of html.match(/<script[^>]*>/g) ?? []) expect(tag).toMatch(/\ssrc="\//);
  });

  it.each(styles)('%s fetches nothing (no fonts, imports or images)', (_path, asset) => {
    expect(asset.body).not.toMatch(/@import|url\(|@font-face/);
  });

  it('serves assets with the CSP and the content type', async () => {
    const res = uiResponse(uiAssets['/dashboard']!);
    expect(res.headers.get('content-security-policy')).toBe(UI_CSP);
    expect(UI_CSP).toContain("script-src 'self'");
    expect(UI_CSP).toContain("require-trusted-types-for 'script'");
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>Rebote · dashboard</title>');
  });

  it.each(entries)('uiRoutes serves %s with its type and the CSP', async (path, asset) => {
    const res = await uiRoutes.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(asset.type);
    expect(res.headers.get('content-security-policy')).toBe(UI_CSP);
    expect(await res.text()).toBe(asset.body);
  });
});
