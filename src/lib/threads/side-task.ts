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

/** A thread started ahead of its call, its module loaded meanwhile; call() it once, or close() it unused. */
export interface SpareThread {
  call<T>(name: string, args: unknown[]): SideTask<T>;
  close(): void;
}

/**
 * A side thread started now for a call known later: starting a thread and loading its module take ~0.1-0.2 s, which
 * then overlap whatever the caller does before it knows the call.
 */
export function spareThread(url: string): SpareThread {
  const { task, port, worker } = start(url, null);
  let called = false;
  return {
    call<T>(name: string, args: unknown[]): SideTask<T> {
      if (called) throw new Error('a spare thread takes one call');
      called = true;
      port.postMessage({ name, args });
      return task as SideTask<T>;
    },
    close(): void {
      if (called) return;
      called = true;
      port.close();
      void worker.terminate();
    },
  };
}

function start(url: string, call: { name: string; args: unknown[] } | null): { task: SideTask<unknown>; port: MessagePort; worker: Worker } {
  const flag = new SharedArrayBuffer(4), done = new Int32Array(flag);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(SOURCE, { eval: true, workerData: { url, call, port: port2, flag }, transferList: [port2] });
  worker.unref();
  worker.on('error', () => { /* reported through the fallback: join() runs synchronously, before this could */ });
  const task: SideTask<unknown> = {
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
        void worker.terminate();
      }
    },
  };
  return { task, port: port1, worker };
}
