// How many cores other processes kept busy lately: all cores' busy time minus this process's own (every
// thread of it), over a recent window. The load average cannot tell the two apart (and on some VMs it
// stays near 1 on idle cores), so it is only the answer of last resort.
import { cpus, loadavg } from 'node:os';

interface Sample { wall: number; busyMs: number; ownMicros: number }

/** Windows shorter than this say little; longer ones are stale. */
const MIN_WINDOW_MS = 200, MAX_WINDOW_MS = 60_000;
/** How often watchLoad() samples: a fresh window is there whenever a caller asks. */
const WATCH_MS = 1000;
let samples: Sample[] = [];
let timer: NodeJS.Timeout | null = null;

function sample(): Sample {
  let busyMs = 0;
  for (const c of cpus()) busyMs += c.times.user + c.times.nice + c.times.sys + c.times.irq;
  const own = process.cpuUsage();
  return { wall: performance.now(), busyMs, ownMicros: own.user + own.system };
}

function keep(s: Sample): void {
  samples.push(s);
  if (samples.length > 4) samples = samples.slice(-4);
}

/**
 * Samples the cores every second in the background (an unref'd timer: it never keeps the process up), so
 * that othersBusyCores() always has a recent window, also for the first call after a long idle time.
 */
export function watchLoad(): void {
  if (timer) return;
  keep(sample());
  timer = setInterval(() => keep(sample()), WATCH_MS);
  timer.unref();
}

/**
 * Cores' worth of CPU used by other processes over the newest window of at least MIN_WINDOW_MS (since a
 * background sample or an earlier call); the load average when there is none.
 */
export function othersBusyCores(): number {
  const now = sample();
  let prev: Sample | undefined;
  for (let i = samples.length - 1; i >= 0 && !prev; i--) if (now.wall - samples[i]!.wall >= MIN_WINDOW_MS) prev = samples[i];
  keep(now);
  const window = prev ? now.wall - prev.wall : 0;
  if (!prev || window > MAX_WINDOW_MS) return loadavg()[0]!;
  const others = now.busyMs - prev.busyMs - (now.ownMicros - prev.ownMicros) / 1000;
  return Math.max(0, others / window);
}
