// One exported function of an ES module run on a worker thread of its own while the caller goes on with other
// work, then joined synchronously (train() functions are synchronous). For work that needs no other thread's help
// and whose result is small; pass big inputs as SharedArrayBuffer views (anything else is copied).
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

// CommonJS (eval) so it needs no file of ours; the function's module is loaded with import().
const SOURCE = `
const { workerData } = require('node:worker_threads');
const { url, name, args, port, flag } = workerData;
const done = new Int32Array(flag);
import(url)
  .then((m) => m[name](...args))
  .then((value) => port.postMessage({ value }), (e) => port.postMessage({ error: String((e && e.stack) || e) }))
  .finally(() => { Atomics.store(done, 0, 1); Atomics.notify(done, 0); port.close(); });
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
  const flag = new SharedArrayBuffer(4), done = new Int32Array(flag);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(SOURCE, { eval: true, workerData: { url, name, args, port: port2, flag }, transferList: [port2] });
  worker.unref();
  worker.on('error', () => { /* reported through the fallback: join() runs synchronously, before this could */ });
  return {
    join(fallback: () => T, timeoutMs = 600_000): T {
      try {
        const deadline = performance.now() + timeoutMs;
        while (Atomics.load(done, 0) === 0 && performance.now() < deadline) Atomics.wait(done, 0, 0, 1000);
        // The message is posted before the flag is set; allow a moment for it to be readable.
        for (let tries = 0; Atomics.load(done, 0) === 1 && tries < 100; tries++) {
          const m = receiveMessageOnPort(port1)?.message as { value?: T; error?: string } | undefined;
          if (m) {
            if (m.error !== undefined) throw new Error(`a side task failed: ${m.error}`);
            return m.value as T;
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
}
