// The package as a user installs it: `npm pack`, the tarball installed with `--omit=dev` into an empty
// folder, then `npx personalize-local --help` and `start --port 0` answering the official SDK (which
// comes from this checkout: the installed folder must not need it). Prints the installed size.
// Packs the built dist/ as it is (npm test builds first); needs npm and the registry or a warm npm cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CreateDatasetGroupCommand, DescribeDatasetGroupCommand, ListDatasetGroupsCommand, PersonalizeClient,
} from '@aws-sdk/client-personalize';

const ROOT = resolve(import.meta.dirname, '..');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
/**
 * Installed size that means a regression, not a few MB of growth: twice the README's goal of 40 MB.
 * TF.js alone was 286 MB; the runtime dependencies today are about a third of the goal.
 */
const CEILING_MB = 80;

/**
 * The environment of a user's shell: `npm test` exports npm_* variables (the project's own prefix,
 * lifecycle, package fields) that would make the child npm act on this checkout; keep only where the
 * cache and config live.
 */
function userEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_userconfig', 'npm_config_globalconfig', 'npm_config_registry']);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_') || keep.has(k.toLowerCase())));
  // npx must run the installed bin, never fetch a package of that name when the bin is missing
  // (with no TTY it would say yes by itself); as a setting, so the commands stay as users type them.
  return { ...env, npm_config_yes: 'false' };
}

/** Sizes of every file under dir: apparent bytes (as `du --apparent-size`) and disk blocks (as `du`); symlinks not followed. */
function sizeOf(dir: string): { bytes: number; disk: number } {
  const total = { bytes: 0, disk: 0 };
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const sub = sizeOf(p);
      total.bytes += sub.bytes;
      total.disk += sub.disk;
    } else if (e.isFile()) {
      const st = statSync(p);
      total.bytes += st.size;
      total.disk += st.blocks * 512;
    }
  }
  return total;
}

/** Installed packages (name -> sizes) directly under node_modules, scopes opened, `.bin` and `.package-lock.json` left out. */
function packagesIn(nodeModules: string): Map<string, { bytes: number; disk: number }> {
  const out = new Map<string, { bytes: number; disk: number }>();
  for (const e of readdirSync(nodeModules, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const names = e.name.startsWith('@') ? readdirSync(join(nodeModules, e.name)).map((s) => `${e.name}/${s}`) : [e.name];
    for (const name of names) out.set(name, sizeOf(join(nodeModules, name)));
  }
  return out;
}

const MB = 2 ** 20;
let work = '';
let app = '';

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'plocal-pack-'));
  app = join(work, 'app');
  mkdirSync(app);
  const env = userEnv();
  // --ignore-scripts: `prepare` would rebuild dist/ while other test files' worker threads load it.
  const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, env, encoding: 'utf8' })) as { filename: string }[];
  const tarball = join(work, packed[0]!.filename);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
  execFileSync('npm', ['install', tarball, '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app, env, stdio: 'pipe' });
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed package, installed without dev dependencies', () => {
  it('installs only the runtime dependencies, well under the size ceiling (size printed)', () => {
    const modules = join(app, 'node_modules');
    const packages = packagesIn(modules);
    const sizes = [...packages.values()];
    const total = sizes.reduce((a, b) => a + b.bytes, 0), disk = sizes.reduce((a, b) => a + b.disk, 0);
    const largest = [...packages].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 6).map(([n, b]) => `${n} ${(b.bytes / MB).toFixed(1)}`).join(', ');
    console.log(`installed size: ${(total / MB).toFixed(1)} MB of files, ${(disk / MB).toFixed(1)} MB on disk, ${packages.size} packages (largest, MB: ${largest})`);
    expect(packages.has(PKG.name)).toBe(true);
    expect([...packages.keys()].filter((n) => n.startsWith('@tensorflow/') || n.startsWith('@aws-sdk/') || n === 'fast-csv')).toEqual([]);
    expect(total / MB, `installed size; the goal is under 40 MB`).toBeLessThan(CEILING_MB);
  });

  it('npx personalize-local --help and --version answer', () => {
    const help = spawnSync('npx', ['personalize-local', '--help'], { cwd: app, env: userEnv(), encoding: 'utf8', timeout: 30_000 });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('personalize-local start [options]');
    expect(help.stdout).toContain('--port N');
    const version = spawnSync('npx', ['personalize-local', '--version'], { cwd: app, env: userEnv(), encoding: 'utf8', timeout: 30_000 });
    expect(version.status).toBe(0);
    expect(version.stdout).toContain(PKG.version);
  });

  it('npx personalize-local start --port 0 serves the official SDK, with its state in the working folder', async () => {
    // Its own process group, so the server under npx stops with it.
    const child = spawn('npx', ['personalize-local', 'start', '--port', '0'], { cwd: app, env: userEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    try {
      const url = await new Promise<string>((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`no listening line after 30 s; stderr: ${stderr}`)), 30_000);
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          stdout += d;
          const m = /^listening on (http:\/\/\S+)$/m.exec(stdout);
          if (m) { clearTimeout(timer); ok(m[1]!); }
        });
        child.on('close', (code) => fail(new Error(`exited with ${code} before listening; stderr: ${stderr}`)));
      });
      const client = new PersonalizeClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
      const { datasetGroupArn } = await client.send(new CreateDatasetGroupCommand({ name: 'installed' }));
      expect(datasetGroupArn).toBe('arn:aws:personalize:us-east-1:000000000000:dataset-group/installed');
      const { datasetGroup } = await client.send(new DescribeDatasetGroupCommand({ datasetGroupArn }));
      expect(datasetGroup?.status).toBe('ACTIVE');
      const { datasetGroups } = await client.send(new ListDatasetGroupsCommand({}));
      expect(datasetGroups?.map((g) => g.name)).toEqual(['installed']);
      client.destroy();
      expect(existsSync(join(app, '.personalize-local')), 'state in ./.personalize-local of the working folder').toBe(true);
      expect(existsSync(join(app, 'node_modules', '@aws-sdk')), 'the installed folder has no AWS SDK').toBe(false);
    } finally {
      try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* already gone */ }
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 10_000))]);
      if (code === 'timeout') process.kill(-child.pid!, 'SIGKILL');
    }
  });
});
