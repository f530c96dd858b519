// How many cores other processes kept busy lately: all cores' busy time minus this process's own (every
// thread of it), over the time since the last look. The load average cannot tell the two apart, so a
// process that was just busy itself would wrongly see the machine as loaded.
import { cpus, loadavg } from 'node:os';

interface Sample { wall: number; busyMs: number; ownMicros: number }

/** Windows shorter than this say little; longer ones are stale (the load average answers instead). */
const MIN_WINDOW_MS = 200, MAX_WINDOW_MS = 60_000;
let last: Sample | null = null;

function sample(): Sample {
  let busyMs = 0;
  for (const c of cpus()) busyMs += c.times.user + c.times.nice + c.times.sys + c.times.irq;
  const own = process.cpuUsage();
  return { wall: performance.now(), busyMs, ownMicros: own.user + own.system };
}

/** Cores' worth of CPU used by other processes since the previous call (the load average on the first call or after a long gap). */
export function othersBusyCores(): number {
  const now = sample(), prev = last;
  last = now;
  const window = prev ? now.wall - prev.wall : 0;
  if (!prev || window < MIN_WINDOW_MS || window > MAX_WINDOW_MS) return loadavg()[0]!;
  const others = now.busyMs - prev.busyMs - (now.ownMicros - prev.ownMicros) / 1000;
  return Math.max(0, others / window);
}
