// One exported function of an ES module run on a worker thread of its own while the caller goes on with other
// work, then joined synchronously (train() functions are synchronous). For work that needs no other thread's help
// and whose result is small; pass big inputs as SharedArrayBuffer views (anything else is copied).
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

// CommonJS (eval) so it needs no file of ours; the function's module is loaded with import(), at once, and the
// function called when the call is known: in workerData, or later as a message (a thread started ahead, spareThread).
const SOURCE = `
const { workerData } = require('node:worker_threads');
const { url, call, port, flag } = workerData;
const done = new Int32Array(flag);
const loaded = import(url);
const run = ({ name, args }) => loaded
  .then((m) => m[name](...args))
  .then((value) => port.postMessage({ value }), (e) => port.postMessage({ error: String((e && e.stack) || e) }))
  .finally(() => { Atomics.store(done, 0, 1); Atomics.notify(done, 0); port.close(); });
if (call) run(call); else port.once('message', run);
`;

export interface SideTask<T> {
  /**
   * The function's result (or its error, thrown). `fallback` computes the same on the calling thread when the side
   * thread gave nothing within `timeoutMs` (a thread that could not start or died): the caller never hangs on it.
   * The thread ends. Call once.
   */
  join(fallback: () => T, timeoutMs?: number): T;
}

/** Start `name(...args)` of the module at `url` (see programUrl in team.ts for a file of ours) on a new thread. */
export function sideTask<T>(url: string, name: string, args: unknown[]): SideTask<T> {
  return start(url, { name, args }).task as SideTask<T>;
}

/**
 * A side thread started before its call is known (spareThread), as what reaches it: the thread that calls it may be
 * another than the one that started it (the handle is transferable: put `port` in the transfer list).
 */
export interface SpareThread { port: MessagePort; flag: SharedArrayBuffer }

/**
 * Start a thread for a call known later, its module loading meanwhile (a thread and its modules take ~0.1-0.2 s,
 * which then overlap whatever the caller does first). It takes one callSpare(), or ends when its port is closed
 * (dropSpare). The thread does not keep the process alive.
 */
export function spareThread(url: string): SpareThread {
  const { flag, port } = start(url, null);
  return { port, flag };
}

/** The spare thread's one call, from whichever thread holds the handle. */
export function callSpare<T>(spare: SpareThread, name: string, args: unknown[]): SideTask<T> {
  spare.port.postMessage({ name, args });
  // The thread ends by itself after the call (its port closes); it was started elsewhere, so it is not terminated here.
  return joiner(spare.port, new Int32Array(spare.flag), null) as SideTask<T>;
}

/** A spare thread not wanted after all: it ends once its module has loaded. */
export function dropSpare(spare: SpareThread): void {
  spare.port.close();
}

function start(url: string, call: { name: string; args: unknown[] } | null): { task: SideTask<unknown>; port: MessagePort; flag: SharedArrayBuffer } {
  const flag = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(SOURCE, { eval: true, workerData: { url, call, port: port2, flag }, transferList: [port2] });
  worker.unref();
  worker.on('error', () => { /* reported through the fallback: join() runs synchronously, before this could */ });
  return { task: joiner(port1, new Int32Array(flag), worker), port: port1, flag };
}

function joiner(port1: MessagePort, done: Int32Array, worker: Worker | null): SideTask<unknown> {
  return {
    join(fallback: () => unknown, timeoutMs = 600_000): unknown {
      try {
        const deadline = performance.now() + timeoutMs;
        while (Atomics.load(done, 0) === 0 && performance.now() < deadline) Atomics.wait(done, 0, 0, 1000);
        // The message is posted before the flag is set; allow a moment for it to be readable.
        for (let tries = 0; Atomics.load(done, 0) === 1 && tries < 100; tries++) {
          const m = receiveMessageOnPort(port1)?.message as { value?: unknown; error?: string } | undefined;
          if (m) {
            if (m.error !== undefined) throw new Error(`a side task failed: ${m.error}`);
            return m.value;
          }
          Atomics.wait(done, 0, 1, 10);
        }
        return fallback();
      } finally {
        port1.close();
        if (worker) void worker.terminate();
      }
    },
  };
}
