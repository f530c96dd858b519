// The HTTP bench's load: keep-alive connections each sending requests back to back for a time, counted.
// Runs in the bench's own process (bench/http.ts) or, forked, in a process of its own (`child` below), which
// also reports the CPU the client itself spent per request. The official SDK client's load: http-sdk-client.ts.
import { request, Agent } from 'node:http';

/** What to send: the bare server's empty body, or GetRecommendations for users u0..u(users-1) of a campaign. */
export interface Load {
  port: number; campaignArn?: string; users?: number; seconds: number; connections: number;
  /** Who sends: the minimal node:http client below (default) or the official JS SDK v3 client (child only). */
  client?: 'raw' | 'sdk';
}

/** A load's outcome: requests per second, and the CPU time of the sending process per request (microseconds). */
export interface Measured { rps: number; cpuUsPerRequest: number }

/**
 * `send(n)` back to back on `connections` loops for `seconds`, after a 0.5 s warm-up; CPU time is this
 * process's (user + system, every thread) over the timed window only.
 */
export async function timed(connections: number, seconds: number, send: (n: number) => Promise<void>): Promise<Measured> {
  const run = async (until: number, counter: { n: number }) => {
    while (performance.now() < until) {
      await send(counter.n);
      counter.n++;
    }
  };
  await Promise.all(Array.from({ length: connections }, () => run(performance.now() + 500, { n: 0 })));
  const counter = { n: 0 };
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(Array.from({ length: connections }, () => run(start + seconds * 1000, counter)));
  const elapsed = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { rps: counter.n / (elapsed / 1000), cpuUsPerRequest: (used.user + used.system) / counter.n };
}

function post(agent: Agent, port: number, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/recommendations', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The load from the minimal node:http client. */
export async function measure(load: Load): Promise<Measured> {
  const agent = new Agent({ keepAlive: true, maxSockets: load.connections });
  const body = (i: number) => (load.campaignArn ? JSON.stringify({ campaignArn: load.campaignArn, userId: `u${i % (load.users ?? 1)}`, numResults: 25 }) : '{}');
  try {
    return await timed(load.connections, load.seconds, (n) => post(agent, load.port, body(n)));
  } finally {
    agent.destroy();
  }
}

// Forked by bench/http.ts: measure each load it sends, answer with the figures. The SDK is loaded only here.
if (process.send && process.argv.includes('--http-load-child')) {
  process.on('message', (load: Load) => {
    const run = load.client === 'sdk' ? import('./http-sdk-client.js').then((m) => m.measureSdk(load)) : measure(load);
    void run.then((m) => process.send!(m), (err: Error) => process.send!({ error: err.message }));
  });
}
