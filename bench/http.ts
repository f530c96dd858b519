// GetRecommendations over HTTP with keep-alive on a 10k-item catalogue, 2 client connections, against a
// bare node:http server answering a fixed 1 KB JSON, measured in the same run (client and servers share
// this process, as a test harness would).
import { createServer, request, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalPersonalize } from '../src/api/client.js';
import { startServer } from '../src/api/http/server.js';
import { wrapEngine } from '../src/api/local.js';
import { Rng } from '../src/lib/random.js';
import type { BenchResult } from './types.js';

const SECONDS = 3;

function post(agent: Agent, port: number, path: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Requests per second with `connections` keep-alive connections each sending back-to-back. */
async function measure(port: number, path: string, body: (i: number) => string, connections = 2): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const run = async (until: number, counter: { n: number }) => {
    while (performance.now() < until) {
      await post(agent, port, path, body(counter.n));
      counter.n++;
    }
  };
  await Promise.all(Array.from({ length: connections }, () => run(performance.now() + 500, { n: 0 }))); // warm-up
  const counter = { n: 0 };
  const start = performance.now();
  await Promise.all(Array.from({ length: connections }, () => run(start + SECONDS * 1000, counter)));
  const rps = counter.n / ((performance.now() - start) / 1000);
  agent.destroy();
  return rps;
}

/** Campaigns of popularity-count and user-personalization on 2,000 users x 20 interactions over `items` items. */
export async function trainedCampaigns(p: LocalPersonalize, items: number): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'plocal-http-bench-'));
  const rng = new Rng(7);
  const lines = ['USER_ID,ITEM_ID,TIMESTAMP'];
  for (let u = 0; u < 2000; u++) for (let k = 0; k < 20; k++) lines.push(`u${u},i${rng.int(items)},${1_700_000_000 + k}`);
  for (let i = 0; i < items; i++) lines.push(`u0,i${i},1700000000`); // every item in the catalogue
  writeFileSync(join(dir, 'i.csv'), lines.join('\n'));
  const { schemaArn } = await p.createSchema({ name: 'i', schema: JSON.stringify({ type: 'record', name: 'Interactions', fields: [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }] }) });
  const { datasetGroupArn } = await p.createDatasetGroup({ name: 'bench' });
  const { datasetArn } = await p.createDataset({ name: 'i', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
  await p.createDatasetImportJob({ jobName: 'i', datasetArn, dataSource: { dataLocation: join(dir, 'i.csv') } });
  rmSync(dir, { recursive: true, force: true }); // imported: the rows are in the engine now
  const out: Record<string, string> = {};
  for (const recipe of ['aws-popularity-count', 'aws-user-personalization']) {
    const { solutionArn } = await p.createSolution({ name: recipe, datasetGroupArn, performAutoTraining: false, recipeArn: `arn:aws:personalize:::recipe/${recipe}` });
    const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
    out[recipe] = (await p.createCampaign({ name: recipe, solutionVersionArn })).campaignArn;
  }
  return out;
}

export async function runHttpBench(): Promise<BenchResult[]> {
  const fixed = JSON.stringify({ itemList: Array.from({ length: 25 }, (_, i) => ({ itemId: `item-${i}`, score: 0.01 })), recommendationId: 'RID-00000000-0000-4000-8000-000000000000' }).padEnd(1024, ' ');
  const bare = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(fixed) });
      res.end(fixed);
    });
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const barePort = (bare.address() as AddressInfo).port;

  const p = new LocalPersonalize({ inMemory: true });
  const campaigns = await trainedCampaigns(p, 10_000);
  const server = await startServer({ api: wrapEngine(p.engine).api, port: 0 });
  const results: BenchResult[] = [];
  // Bare and ours alternate, each measured right before ours, so machine noise hits both alike.
  for (const [recipe, what] of [['aws-popularity-count', 'popularity-count (protocol and pipeline overhead)'], ['aws-user-personalization', 'user-personalization, 64 factors, softmax scores, exploration 0.3']] as const) {
    const bareRps = await measure(barePort, '/recommendations', () => '{}');
    const oursRps = await measure(server.port, '/recommendations', (i) => JSON.stringify({ campaignArn: campaigns[recipe], userId: `u${i % 2000}`, numResults: 25 }));
    results.push(
      { name: `http: bare node:http, fixed 1 KB JSON (before ${recipe})`, value: bareRps, unit: 'req/s' },
      { name: `http: GetRecommendations 10k items, ${what}`, value: oursRps, unit: 'req/s', baseline: bareRps, ratio: oursRps / bareRps },
    );
  }
  bare.close();
  await server.close();
  await p.close();
  return results;
}
