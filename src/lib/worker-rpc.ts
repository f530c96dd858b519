// One worker thread answering messages in order: call() posts a request and resolves with its reply.
// The thread starts on first call, does not keep the process alive, and close() ends it.
import { Worker } from 'node:worker_threads';

interface Reply { id: number; ok: boolean; value?: unknown; error?: string }

export class WorkerRpc<In, Out> {
  private worker: Worker | null = null;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (v: Out) => void; reject: (e: Error) => void }>();

  constructor(private readonly file: string) {}

  /** Calls posted and not answered yet. */
  get inFlight(): number {
    return this.pending.size;
  }

  call(message: In): Promise<Out> {
    const w = this.start();
    const id = ++this.next;
    return new Promise<Out>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) w.ref(); // a call in flight keeps the process alive until it answers
      w.postMessage({ id, message });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = (this.worker = new Worker(this.file));
    w.unref();
    w.on('message', (r: Reply) => {
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if (this.pending.size === 0) w.unref();
      if (r.ok) p.resolve(r.value as Out);
      else p.reject(new Error(r.error));
    });
    const fail = (err: Error) => {
      if (this.worker === w) this.worker = null;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`worker thread exited (code ${code})`)));
    return w;
  }

  /** Ends the thread; calls still pending are rejected. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}

/** The worker side: answer each request with `handle` (its result, or its error's message). */
export function serveRpc<In, Out>(port: { on(ev: 'message', f: (m: { id: number; message: In }) => void): void; postMessage(v: unknown): void }, handle: (m: In) => Out): void {
  port.on('message', ({ id, message }) => {
    try {
      port.postMessage({ id, ok: true, value: handle(message) } satisfies Reply);
    } catch (err) {
      port.postMessage({ id, ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) } satisfies Reply);
    }
  });
}
