// The HTTP bench's load: keep-alive connections each sending requests back to back for a time, counted.
// Runs in the bench's own process (bench/http.ts) or, forked, in a process of its own (`child` below).
import { request, Agent } from 'node:http';

/** What to send: the bare server's empty body, or GetRecommendations for users u0..u(users-1) of a campaign. */
export interface Load { port: number; campaignArn?: string; users?: number; seconds: number; connections: number }

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

/** Requests per second over `seconds`, after a 0.5 s warm-up. */
export async function measure(load: Load): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: load.connections });
  const body = (i: number) => (load.campaignArn ? JSON.stringify({ campaignArn: load.campaignArn, userId: `u${i % (load.users ?? 1)}`, numResults: 25 }) : '{}');
  const run = async (until: number, counter: { n: number }) => {
    while (performance.now() < until) {
      await post(agent, load.port, body(counter.n));
      counter.n++;
    }
  };
  await Promise.all(Array.from({ length: load.connections }, () => run(performance.now() + 500, { n: 0 })));
  const counter = { n: 0 };
  const start = performance.now();
  await Promise.all(Array.from({ length: load.connections }, () => run(start + load.seconds * 1000, counter)));
  const rps = counter.n / ((performance.now() - start) / 1000);
  agent.destroy();
  return rps;
}

// Forked by bench/http.ts: measure each load it sends, answer with the figure.
if (process.send && process.argv.includes('--http-load-child')) {
  process.on('message', (load: Load) => {
    void measure(load).then((rps) => process.send!({ rps }), (err: Error) => process.send!({ error: err.message }));
  });
}
