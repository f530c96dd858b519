// The console's one HTML page: a shell the client script fills, its Content-Security-Policy (nothing but this
// server; the one inline script, the import map, allowed by its hash), and the banner of a non-loopback bind.
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';

export const UI_PATH = '/_personalize/ui';

// vega-interpreter is an ES module importing three helpers from vega-util, which vega's browser build carries:
// the shim hands them over from the global `vega`.
const IMPORT_MAP = JSON.stringify({
  imports: {
    'vega-interpreter': `${UI_PATH}/vendor/vega-interpreter.js`,
    'vega-util': `${UI_PATH}/js/vega-util-shim.js`,
  },
});
const IMPORT_MAP_HASH = createHash('sha256').update(IMPORT_MAP).digest('base64');

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  `script-src 'self' 'sha256-${IMPORT_MAP_HASH}'`,
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Loopback addresses and names: the console is then reachable from this machine only. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  return h.startsWith('::ffff:127.');
}

export function consolePage(opts: { host: string; clientBuilt: boolean }): string {
  const banner = isLoopback(opts.host) ? '' : `<div class="banner warn" role="alert">This server listens on ${esc(opts.host)}: the console and the API `
    + 'are reachable from other machines, without credentials. Start it with --host 127.0.0.1 to keep them local.</div>';
  const missing = opts.clientBuilt ? '' : '<div class="banner error" role="alert">The console script is not built: run <code>npm run build</code>.</div>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>personalize-local console</title>
<link rel="icon" href="${UI_PATH}/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${UI_PATH}/console.css">
<script type="importmap">${IMPORT_MAP}</script>
<script src="${UI_PATH}/vendor/vega.min.js"></script>
<script type="module" src="${UI_PATH}/js/console.js"></script>
</head>
<body>
${banner}${missing}<header class="top">
  <a class="brand" href="#/">personalize-local <span>console</span></a>
  <nav id="crumbs" aria-label="breadcrumbs"></nav>
  <div id="clock" class="clock"></div>
</header>
<main id="view"><p class="muted">Loading…</p></main>
<noscript><p class="banner error">The console needs JavaScript (it runs only scripts served by this server).</p></noscript>
</body>
</html>
`;
}
