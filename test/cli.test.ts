// The `personalize-local` command as a process: startup line, health, graceful SIGTERM, busy port.
// Runs dist/cli.js, so `npm run build` must have run first (npm test does).
import { describe, it, expect } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

function run(args: string[]): { child: ChildProcess; firstLine: Promise<string>; exit: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let resolveLine: (l: string) => void;
  const firstLine = new Promise<string>((r) => { resolveLine = r; });
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    if (stdout.includes('\n')) resolveLine(stdout.split('\n')[0]);
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code) => { resolveLine(''); resolve({ code, stdout, stderr }); });
  });
  return { child, firstLine, exit };
}

describe('personalize-local start', () => {
  it('prints the listening line first, serves health, and exits 0 on SIGTERM', async () => {
    const { child, firstLine, exit } = run(['start', '--port', '0', '--in-memory']);
    try {
      const line = await firstLine;
      expect(line).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
      const url = line.slice('listening on '.length);
      const health = await fetch(`${url}/_personalize/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      child.kill('SIGTERM');
      const { code, stderr } = await exit;
      expect(stderr).toBe('');
      expect(code).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a busy port gives a one-line hint and exit code 1', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const { code, stdout, stderr } = await run(['start', '--port', String(port), '--in-memory']).exit;
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain(`port ${port} is in use`);
      expect(stderr).toContain('--port');
    } finally {
      blocker.close();
    }
  });

  it('bad flags: one-line error plus usage, exit code 2', async () => {
    const { code, stderr } = await run(['start', '--port', 'abc']).exit;
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe('personalize-local: --port must be an integer from 0 to 65535, got "abc"');
    expect(stderr).toContain('Usage:');
    const other = await run(['start', '--transitions', 'slow']).exit;
    expect(other.code).toBe(2);
    const region = await run(['start', '--region', 'EU WEST']).exit;
    expect(region.code).toBe(2);
    expect(region.stderr.split('\n')[0]).toBe('personalize-local: --region must be a region name such as eu-west-1, got "EU WEST"');
  });

  it('coverage prints COVERAGE.md', async () => {
    const { code, stdout } = await run(['coverage']).exit;
    expect(code).toBe(0);
    expect(stdout).toMatch(/^# Coverage\n/);
    expect(stdout).toContain('| control | CreateCampaign |');
  });
});
