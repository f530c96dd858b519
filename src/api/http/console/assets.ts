// The console's files, all from this package and its dependencies (no CDN): the compiled client script
// (dist/ui, built by `npm run build`), its style sheet and icon, and vega's browser build with its
// CSP-safe expression interpreter, resolved from the installed packages.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Asset { body: Buffer | string; contentType: string }

const JS = 'text/javascript; charset=utf-8';

/** The folder of package.json: from dist/api/http/console (installed) or src/api/http/console (tests). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('personalize-local: cannot find its package folder');
    dir = up;
  }
  return dir;
}

const ROOT = packageRoot();
const CLIENT_DIR = join(ROOT, 'dist', 'ui');
const require = createRequire(import.meta.url);

/** Third-party browser files by the name the page asks for; paths resolved on first use. */
const VENDOR: Record<string, () => string> = {
  // vega's package exports only its ES module build; the browser build sits beside it.
  'vega.min.js': () => join(dirname(require.resolve('vega')), 'vega.min.js'),
  'vega-interpreter.js': () => require.resolve('vega-interpreter'),
};

const ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#4e79a7"/>'
  + '<path d="M4 12V4h4.5a2.5 2.5 0 0 1 0 5H6" fill="none" stroke="#fff" stroke-width="1.8"/></svg>';

/**
 * The file at `rest` (the path after /_personalize/ui/), or undefined. Client modules are looked up by a
 * plain name only (letters, digits, '-', one optional sub-folder), so no path can leave dist/ui.
 */
export function asset(rest: string, style: string): Asset | undefined {
  if (rest === 'console.css') return { body: style, contentType: 'text/css; charset=utf-8' };
  if (rest === 'icon.svg') return { body: ICON, contentType: 'image/svg+xml' };
  const vendor = /^vendor\/([a-z.-]+)$/.exec(rest)?.[1];
  if (vendor !== undefined) {
    const path = Object.hasOwn(VENDOR, vendor) ? VENDOR[vendor]!() : undefined;
    return path && existsSync(path) ? { body: readFileSync(path), contentType: JS } : undefined;
  }
  const module = /^js\/((?:[a-z0-9-]+\/)?[a-z0-9-]+\.js)$/.exec(rest)?.[1];
  if (module !== undefined) {
    const path = join(CLIENT_DIR, module);
    return existsSync(path) ? { body: readFileSync(path), contentType: JS } : undefined;
  }
  return undefined;
}

/** Whether the client script was built (`npm run build` compiles src/ui into dist/ui). */
export function clientBuilt(): boolean {
  return existsSync(join(CLIENT_DIR, 'console.js'));
}
