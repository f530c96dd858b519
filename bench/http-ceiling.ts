// The most the HTTP bench's user-personalization ratio could reach on this machine: bare node:http servers that
// answer the same fixed 1 KB JSON after spinning, per request, the measured time of the one step no exact answer can
// skip (every item's score and softmax term: the WASM pass over 10k x 64 item factors). One spins on its main
// thread; the other on a worker thread, one request there at a time and the others spun inline meanwhile, as the
// serving worker shares requests (src/engine/serving/ranking-worker.ts). Nothing else of a request is left in them.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { FactorSoftmax } from '../src/lib/factor-softmax.js';
import { Rng } from '../src/lib/random.js';

/** Median microseconds of one FactorSoftmax.softmax pass (scores, max, softmax terms) over n items x k factors. */
export function scoringFloorUs(n = 10_000, k = 64): number {
  const rng = new Rng(3);
  const Y = Float32Array.from({ length: n * k }, () => (rng.next() - 0.5) * 0.2);
  const f = FactorSoftmax.create(Y, n, k, Math.ceil(k / 8) * 32);
  if (!f) throw new Error('no WASM SIMD: the scoring floor is measured on the WASM pass');
  const times: number[] = [];
  for (let round = 0; round < 7; round++) {
    const t0 = performance.now();
    for (let q = 0; q < 500; q++) {
      for (let a = 0; a < k; a++) f.query[a] = Math.sin(q * 7 + a);
      f.softmax(30);
    }
    times.push(((performance.now() - t0) / 500) * 1000);
  }
  return times.sort((a, b) => a - b)[3]!;
}

const spin = (us: number): void => {
  const until = performance.now() + us / 1000;
  while (performance.now() < until);
};

export interface CeilingServers { inlinePort: number; workerPort: number; close(): Promise<void> }

/** The two spinning servers, answering `body` after `us` microseconds of spin. */
export async function ceilingServers(us: number, body: string): Promise<CeilingServers> {
  const reply = (res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const inline = createServer((req, res) => {
    req.resume();
    req.on('end', () => { spin(us); reply(res); });
  });
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     parentPort.on('message', (us) => { const until = performance.now() + us / 1000; while (performance.now() < until); parentPort.postMessage(0); });`,
    { eval: true },
  );
  let busy = false;
  let waiting: ServerResponse | null = null;
  worker.on('message', () => { busy = false; reply(waiting!); waiting = null; });
  const shared = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (busy) { spin(us); reply(res); return; }
      busy = true;
      waiting = res;
      worker.postMessage(us);
    });
  });
  const listen = (s: Server) => new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));
  const inlinePort = await listen(inline);
  const workerPort = await listen(shared);
  return {
    inlinePort, workerPort,
    async close() {
      inline.closeAllConnections(); shared.closeAllConnections();
      await Promise.all([new Promise((r) => inline.close(r)), new Promise((r) => shared.close(r)), worker.terminate()]);
    },
  };
}
