// Suites scale5m / scale25m (only when named: minutes, and a 160 MB / 850 MB file): the MovieLens-25M-shaped file
// of bench/ml25m-data.ts (25M rows, or its 5M-row scaled(0.2) twin) through the in-process client in a process of
// its own (bench/scale-child.ts): import, each recipe's training with offline metrics, first and steady-state
// GetRecommendations, peak RSS per step; next to the `implicit` library's ALS (64 factors, 15 iterations) and
// CosineRecommender (K=100) on the same rows in the same run (bench/implicit_reference.py) when Python can import
// implicit (PERSONALIZE_LOCAL_IMPLICIT_PYTHONPATH, PERSONALIZE_LOCAL_PYTHON), else the suite says it is absent.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ensureMl25mFile, ML25M, scaled, type Ml25mShape } from './ml25m-data.js';
import type { BenchResult } from './types.js';

const rssMb = (pid: number): number => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
};

/** Runs a command, sampling its RSS every 100 ms per `PHASE name` line it prints; resolves with its stdout lines. */
function sampled(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ lines: string[]; peak: Record<string, number> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const peak: Record<string, number> = {}, lines: string[] = [];
    let phase = 'start', buf = '';
    const tick = setInterval(() => { peak[phase] = Math.max(peak[phase] ?? 0, rssMb(child.pid!)); }, 100);
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        lines.push(line);
        if (line.startsWith('PHASE ')) { peak[phase] = Math.max(peak[phase] ?? 0, rssMb(child.pid!)); phase = line.slice(6); }
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(tick);
      if (code === 0) resolve({ lines, peak }); else reject(new Error(`${cmd} exited with ${code}`));
    });
  });
}

export function implicitPython(): { python: string; env: NodeJS.ProcessEnv } | null {
  const python = process.env.PERSONALIZE_LOCAL_PYTHON ?? 'python3';
  const path = process.env.PERSONALIZE_LOCAL_IMPLICIT_PYTHONPATH;
  const env = { ...process.env, ...(path ? { PYTHONPATH: path } : {}) };
  const probe = spawnSync(python, ['-c', 'import implicit'], { env });
  return probe.status === 0 ? { python, env } : null;
}

async function runScale(shape: Ml25mShape, label: string): Promise<BenchResult[]> {
  const csv = await ensureMl25mFile(shape);
  const load = loadavg().map((x) => x.toFixed(1)).join(' ');
  console.log(`${label}: ${shape.rows} rows, ${shape.users} users, ${shape.items} items; ${availableParallelism()} cores; load average ${load}`);
  const child = fileURLToPath(new URL('./scale-child.js', import.meta.url));
  const ours = await sampled(process.execPath, ['--expose-gc', child, csv, String(shape.users)], process.env);
  const result = JSON.parse(ours.lines.find((l) => l.startsWith('RESULT '))!.slice(7)) as Record<string, number>;
  const ref = implicitPython();
  let implicit: { als_s: number; cosine_s: number; matrix_s: number; peak_rss_mb: number; implicit: string } | null = null;
  if (ref) {
    const script = fileURLToPath(new URL('../../bench/implicit_reference.py', import.meta.url));
    const run = spawnSync(ref.python, [script, csv], { env: ref.env, encoding: 'utf8', maxBuffer: 1 << 20 });
    if (run.status === 0) implicit = JSON.parse(run.stdout.trim().split('\n').pop()!);
    else console.log(`${label}: the implicit reference failed: ${run.stderr.slice(-500)}`);
  } else {
    console.log(`${label}: reference absent (no Python with the implicit library; set PERSONALIZE_LOCAL_IMPLICIT_PYTHONPATH / PERSONALIZE_LOCAL_PYTHON)`);
  }
  console.log(`${label}: load average after ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  const r = (name: string, value: number, unit: string, baseline?: number): BenchResult => ({
    name: `${label}: ${name}`, value: Math.round(value * 1000) / 1000, unit,
    ...(baseline !== undefined ? { baseline: Math.round(baseline * 1000) / 1000, ratio: Math.round((value / baseline) * 1000) / 1000 } : {}),
  });
  const out: BenchResult[] = [
    r('import job (FULL)', result.import!, 's'),
    r('import rows/s', shape.rows / result.import!, 'rows/s'),
    r('import peak RSS', ours.peak.import ?? 0, 'MB'),
    r('train aws-popularity-count (incl. offline metrics)', result['train aws-popularity-count']!, 's'),
    r('train aws-sims (incl. offline metrics) vs implicit CosineRecommender K=100', result['train aws-sims']!, 's', implicit?.cosine_s),
    r('train aws-user-personalization (incl. offline metrics) vs implicit ALS 64f 15it', result['train aws-user-personalization']!, 's', implicit?.als_s),
    r('aws-user-personalization NDCG@25 (offline metrics)', result['ndcg@25 aws-user-personalization']!, ''),
    r('training peak RSS (any recipe)', Math.max(...SCALE_PHASES.map((p) => ours.peak[p] ?? 0)), 'MB', implicit?.peak_rss_mb),
    r('first GetRecommendations after CreateCampaign', result['first GetRecommendations']! * 1000, 'ms'),
    r('GetRecommendations known user, median', result['GetRecommendations median ms']!, 'ms'),
    r('GetRecommendations known user, p99', result['GetRecommendations p99 ms']!, 'ms'),
  ];
  if (implicit) out.push(r(`implicit ${implicit.implicit}: sparse matrix build (parse not timed)`, implicit.matrix_s, 's'));
  return out;
}

const SCALE_PHASES = ['train aws-popularity-count', 'train aws-sims', 'train aws-user-personalization'];

export const runScale25mBench = (): Promise<BenchResult[]> => runScale(ML25M, 'scale25m');
export const runScale5mBench = (): Promise<BenchResult[]> => runScale(scaled(0.2), 'scale5m');
