// Where worker-thread entry files live: always the compiled JS in dist/, also when the caller runs from
// TypeScript sources (vitest), because worker threads cannot load .ts files. `npm test` builds first.
import { fileURLToPath } from 'node:url';

/** Absolute path of a compiled worker module, given the caller's import.meta.url and a path relative to it. */
export function workerFile(callerUrl: string, relativeJs: string): string {
  const path = fileURLToPath(new URL(relativeJs, callerUrl));
  if (!callerUrl.endsWith('.ts')) return path;
  // .../src/x/y.ts -> .../dist/x/y.js
  const i = path.lastIndexOf('/src/');
  if (i < 0) return path;
  return path.slice(0, i) + '/dist/' + path.slice(i + 5).replace(/\.ts$/, '.js');
}
