// A training's threads: a fixed team of worker threads, driven synchronously from the calling thread (which
// works too), running "programs" (ES modules) over shared memory on fixed blocks of work.
//
// How to use (recipes get a TrainingRun as train()'s last argument; see TrainingRun below):
//   const team = run.team?.();                 // opened on first call: run.threads - 1 workers + the caller
//   team.install('als', programUrl(import.meta.url, './als-program.js'), { memory, ... });
//   team.run('als', TASK, blocks, [i32 args], [f64 args]);   // returns when every block is done
// A program module exports `program(data, thread)`, returning `(task, block, i32, f64) => void`; it is
// instantiated once per thread (thread 0 = the caller), so per-thread scratch lives in its closure. `data` is
// structured-cloned to each worker: put the big arrays in SharedArrayBuffers / a shared WebAssembly.Memory.
//
// Determinism: the caller fixes the blocks (their bounds must not depend on the thread count) and each block
// writes only its own outputs (or its own partial sums, reduced afterwards by the caller in block order). Which
// thread runs a block is decided at run time (threads claim the next block from a counter), so a core busy with
// other work slows the team by at most one block; results are the same bytes for 1, 2 or N threads.
// The claim counter carries the run's generation, and claims are compare-and-swap on it: a worker that wakes late
// can never claim a block of a newer run (the late-claim race). A run ends by marking its counter exhausted (count
// COUNT) before the caller writes the next run's block count and arguments: otherwise a worker that read the
// finished counter could compare it with the next run's larger count and claim (CAS still succeeding on the old
// value) a block of the next task with its arguments before that run started, so that block ran twice (seen
// about 5 times in 100,000 back-to-back runs; test/team.test.ts). The command's kind travels in the same word as
// its generation, so a worker never pairs one command's generation with another's kind.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

/** How many threads one training may use, and its team (opened on demand, closed by whoever made the run). */
export interface TrainingRun {
  /** Threads this training may use, the calling thread included (1 = no workers). */
  threads: number;
  /** The team of `threads - 1` workers plus the caller, opened on first call; absent or unused when threads = 1. */
  team?: () => Team;
  /**
   * A shared WebAssembly memory of at least `pages` 64 KiB pages that the run keeps for its later trainings (the
   * offline-metrics model, then the served one), grown when asked for more; its content is whatever the last user
   * left. Why: the first touch of fresh memory is slow (on this project's 2-core VM, 80 MB took 250-560 ms to touch
   * once and 3 ms again, on one thread or two), so a second training reuses the pages of the first. Null where
   * the runtime has no shared memories.
   */
  memory?: (pages: number) => RunMemory | null;
}

export interface RunMemory { memory: WebAssembly.Memory; /** Its maximum: what kernels importing it declare. */ maxPages: number }

/** wasm32's limit (4 GiB): the maximum of a run's memory, only reserved address space until grown into. */
const MAX_PAGES = 65536;

/** A run of `threads` threads whose team opens on first use; close() ends it (safe to call when never opened). */
export function trainingRun(threads: number = availableParallelism()): TrainingRun & { close(): void } {
  let team: Team | null = null;
  let kept: RunMemory | null = null;
  const n = Math.max(1, Math.floor(threads));
  return {
    threads: n,
    ...(n > 1 ? { team: () => (team ??= new Team(n)) } : {}),
    memory(pages) {
      const have = kept ? kept.memory.buffer.byteLength / 65536 : 0;
      if (kept && have >= pages) return kept;
      if (kept && pages <= kept.maxPages) {
        try { kept.memory.grow(pages - have); return kept; } catch { /* no room: a new memory below */ }
      }
      kept = null;
      for (const maxPages of [MAX_PAGES, pages]) {
        try { return (kept = { memory: new WebAssembly.Memory({ initial: pages, maximum: maxPages, shared: true }), maxPages }); } catch { /* next */ }
      }
      return null;
    },
    close() { team?.close(); team = null; kept = null; },
  };
}

/**
 * A program module's URL for a worker: the compiled .js in dist/ also when the caller runs from TypeScript
 * sources (vitest), because worker threads cannot load .ts files (`npm test` builds first).
 */
export function programUrl(callerUrl: string, relativeJs: string): string {
  const url = new URL(relativeJs, callerUrl).href;
  if (!callerUrl.endsWith('.ts')) return url;
  const path = fileURLToPath(url), i = path.lastIndexOf('/src/');
  return i < 0 ? url : new URL('file://' + path.slice(0, i) + '/dist/' + path.slice(i + 5).replace(/\.ts$/, '.js')).href;
}

export type ProgramHandler = (task: number, block: number, i32: Int32Array, f64: Float64Array) => void;

// Int32 slots of the control block; args follow (I32_ARGS int32s at ARGS, F64_ARGS doubles at F64_AT bytes).
/** GEN = generation << 2 | command kind. */
const GEN = 0, NEXT = 1, DONE = 2, PROG = 4, TASK = 5, BLOCKS = 6, ERROR = 7, READY = 8;
const ARGS = 16, I32_ARGS = 32, F64_AT = 256, F64_ARGS = 16, CTRL_BYTES = F64_AT + F64_ARGS * 8;
const LOAD = 1, RUN = 2, STOP = 3;
/** NEXT = (generation tag << 20) | next block; 2^20 blocks per run at most. */
const TAG_SHIFT = 20, COUNT = (1 << TAG_SHIFT) - 1, TAG_MASK = 0x7ff;

// Runs in each worker: CommonJS (eval) so it needs no file of ours; programs are loaded with import().
const WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { ctrl, port, thread } = workerData;
const c = new Int32Array(ctrl, 0, ${ARGS + I32_ARGS}), i32 = new Int32Array(ctrl, ${ARGS * 4}, ${I32_ARGS});
const f64 = new Float64Array(ctrl, ${F64_AT}, ${F64_ARGS});
const programs = new Map();
const fail = (e) => { port.postMessage(String((e && e.stack) || e)); Atomics.store(c, ${ERROR}, 1); };
(async () => {
  Atomics.add(c, ${READY}, 1); Atomics.notify(c, ${READY});
  let seen = 0;
  for (;;) {
    Atomics.wait(c, ${GEN}, seen);
    seen = Atomics.load(c, ${GEN});
    const kind = seen & 3;
    if (kind === ${STOP}) break;
    if (kind === ${LOAD}) {
      const m = receiveMessageOnPort(port);
      try {
        if (m && m.message.url) programs.set(m.message.name, (await import(m.message.url)).program(m.message.data, thread));
        else if (m) programs.delete(m.message.name);
      } catch (e) { fail(e); }
      Atomics.add(c, ${DONE}, 1); Atomics.notify(c, ${DONE});
      continue;
    }
    const tag = (seen >>> 2) & ${TAG_MASK};
    for (;;) {
      const t = Atomics.load(c, ${NEXT});
      if ((t >>> ${TAG_SHIFT}) !== tag || (t & ${COUNT}) >= Atomics.load(c, ${BLOCKS})) break;
      if (Atomics.compareExchange(c, ${NEXT}, t, t + 1) !== t) continue;
      try { programs.get(c[${PROG}])(c[${TASK}], t & ${COUNT}, i32, f64); } catch (e) { fail(e); }
      Atomics.add(c, ${DONE}, 1); Atomics.notify(c, ${DONE});
    }
  }
  port.close();
})();
`;

/**
 * `threads - 1` worker threads plus the calling thread. Every method is synchronous (the caller blocks on
 * Atomics.wait while the workers work), so synchronous train() functions can use it. Not reentrant.
 */
export class Team {
  readonly threads: number;
  private readonly c: Int32Array;
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  private readonly workers: { worker: Worker; port: MessagePort }[] = [];
  private readonly local = new Map<string, ProgramHandler>();
  private readonly ids = new Map<string, number>();
  private gen = 0;
  private closed = false;

  constructor(threads: number) {
    this.threads = Math.max(1, Math.floor(threads));
    const ctrl = new SharedArrayBuffer(CTRL_BYTES);
    this.c = new Int32Array(ctrl, 0, ARGS + I32_ARGS);
    this.i32 = new Int32Array(ctrl, ARGS * 4, I32_ARGS);
    this.f64 = new Float64Array(ctrl, F64_AT, F64_ARGS);
    for (let t = 1; t < this.threads; t++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ctrl, port: port2, thread: t }, transferList: [port2] });
      worker.unref();
      this.workers.push({ worker, port: port1 });
    }
    // A worker starts in tens of milliseconds; one that never does (no threads left) fails the training.
    if (!this.waitFor(READY, this.threads - 1, 60_000)) {
      this.close();
      throw new Error(`${this.threads - 1} training worker threads did not start within 60 s`);
    }
  }

  /**
   * Load program `name` from the ES module at `url` (see programUrl) on every thread with `data` (replacing an
   * earlier program of that name). The caller's own instance is imported as `module` when given (it already
   * holds it), so nothing is loaded twice on the calling thread.
   */
  install(name: string, url: string, data: unknown, module: { program(data: unknown, thread: number): ProgramHandler }): void {
    if (!this.ids.has(name)) this.ids.set(name, this.ids.size);
    for (const w of this.workers) w.port.postMessage({ name: this.ids.get(name), url, data });
    this.command(LOAD);
    this.waitFor(DONE, this.workers.length);
    this.throwIfFailed();
    this.local.set(name, module.program(data, 0));
  }

  /** Drop program `name` and what its data holds on every thread. */
  uninstall(name: string): void {
    const id = this.ids.get(name);
    if (id === undefined || this.closed) return;
    for (const w of this.workers) w.port.postMessage({ name: id });
    this.command(LOAD);
    this.waitFor(DONE, this.workers.length);
    this.local.delete(name);
  }

  /** Run blocks [0, blocks) of `task` of program `name` over the team; returns when all are done. */
  run(name: string, task: number, blocks: number, i32: ArrayLike<number> = [], f64: ArrayLike<number> = []): void {
    const handler = this.local.get(name), id = this.ids.get(name);
    if (!handler || id === undefined) throw new Error(`team program ${name} is not installed`);
    if (blocks > COUNT) throw new Error(`a team run takes at most ${COUNT} blocks, not ${blocks}`);
    if (blocks <= 0) return;
    const c = this.c;
    this.i32.set(i32); this.f64.set(f64);
    c[PROG] = id; c[TASK] = task; Atomics.store(c, BLOCKS, blocks);
    const tag = this.command(RUN);
    let failure: unknown = null;
    for (;;) {
      const t = Atomics.load(c, NEXT);
      if ((t >>> TAG_SHIFT) !== tag || (t & COUNT) >= blocks) break;
      if (Atomics.compareExchange(c, NEXT, t, t + 1) !== t) continue;
      try {
        if (!failure) handler(task, t & COUNT, this.i32, this.f64);
      } catch (e) { failure = e; }
      Atomics.add(c, DONE, 1);
    }
    // Workers may still hold blocks (and write shared memory): wait for them even when this thread failed.
    this.waitFor(DONE, blocks);
    Atomics.store(c, NEXT, (tag << TAG_SHIFT) | COUNT); // exhausted before the next run's count and arguments
    // Take the workers' failures of this run even when this thread's own is the one thrown: left set, they
    // would fail the next run.
    const workers = this.takeWorkerFailures();
    if (failure) throw failure;
    if (workers) throw new Error(`a training thread failed: ${workers}`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.command(STOP);
    for (const w of this.workers) { w.port.close(); void w.worker.terminate(); }
  }

  /**
   * Start a command: reset DONE and the claim counter (exhausted unless it is a run), then wake the workers.
   * Returns the generation tag.
   */
  private command(kind: number): number {
    if (this.closed && kind !== STOP) throw new Error('the thread team is closed');
    const c = this.c;
    this.gen = (this.gen + 1) & 0x0fffffff;
    const tag = this.gen & TAG_MASK;
    Atomics.store(c, DONE, 0);
    Atomics.store(c, NEXT, (tag << TAG_SHIFT) | (kind === RUN ? 0 : COUNT));
    Atomics.store(c, GEN, (this.gen << 2) | kind);
    Atomics.notify(c, GEN);
    return tag;
  }

  private waitFor(slot: number, count: number, timeoutMs = Infinity): boolean {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const v = Atomics.load(this.c, slot);
      if (v >= count) return true;
      if (performance.now() > deadline) return false;
      Atomics.wait(this.c, slot, v, 1000);
    }
  }

  /** The workers' failure messages since the last call (every one of them, in worker order), or '' when none. */
  private takeWorkerFailures(): string {
    if (Atomics.load(this.c, ERROR) === 0) return '';
    const messages: string[] = [];
    for (const w of this.workers) for (let m = receiveMessageOnPort(w.port); m; m = receiveMessageOnPort(w.port)) messages.push(String(m.message));
    Atomics.store(this.c, ERROR, 0);
    return messages.join('\n') || 'unknown error';
  }

  private throwIfFailed(): void {
    const workers = this.takeWorkerFailures();
    if (workers) throw new Error(`a training thread failed: ${workers}`);
  }
}
