// `personalize-local start` as a child process, for tests of what the command itself does.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Starts `start --port 0 --in-memory <args>`; its URL, and a stop that does not wait for its work. */
export async function startCli(args: string[]): Promise<{ url: string; kill(): void }> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [CLI, 'start', '--port', '0', '--in-memory', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`start exited with ${code}`)));
  });
  return { url, kill: () => child.kill('SIGKILL') };
}

/** A control-plane call over plain HTTP; throws with the error body unless 200. */
export async function controlCall(url: string, op: string, body: unknown): Promise<any> {
  const res = await fetch(`${url}/`, { method: 'POST', headers: { 'x-amz-target': `AmazonPersonalize.${op}` }, body: JSON.stringify(body) });
  const json = await res.json();
  if (res.status !== 200) throw new Error(`${op}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}
