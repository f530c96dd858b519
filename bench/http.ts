// GetRecommendations over HTTP with keep-alive on a 10k-item catalogue, 2 client connections, against a bare
// node:http server answering a fixed 1 KB JSON, measured in the same run; user-personalization both ranked inline
// and on the serving worker (servingWorker). The load comes from a minimal node:http client in this process (as a
// test harness would, taking main-thread time from the servers) and in a child process, then from the official JS
// SDK v3 client in a child process (as this project's users call it), for every server alike.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalPersonalize } from '../src/api/client.js';
import { startServer } from '../src/api/http/server.js';
import { wrapEngine } from '../src/api/local.js';
import { Rng } from '../src/lib/random.js';
import { measure, type Load, type Measured } from './http-client.js';
import { ceilingServers, scoringFloorUs } from './http-ceiling.js';
import type { BenchResult } from './types.js';

const SECONDS = 3;

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

/** A load's figures with this process's CPU per request over the same time (warm-up included on both sides of the division). */
async function serverCpu(load: () => Promise<Measured>): Promise<Measured & { serverUs: number }> {
  const start = process.cpuUsage();
  const t0 = performance.now();
  const m = await load();
  const used = process.cpuUsage(start);
  const requests = m.rps * ((performance.now() - t0) / 1000);
  return { ...m, serverUs: (used.user + used.system) / requests };
}

/** The load generator in a child process: measure(load) there (or the SDK client's, by load.client). */
function childClient(): { measure(load: Load): Promise<Measured>; close(): void } {
  // The SDK warns once per process that its 2027 releases need node >= 22: not a figure of this bench.
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const child: ChildProcess = fork(fileURLToPath(new URL('./http-client.js', import.meta.url)), ['--http-load-child'], { stdio: 'inherit', env });
  return {
    measure: (load) => new Promise((resolve, reject) => {
      child.once('message', (m: Measured & { error?: string }) => (m.error ? reject(new Error(m.error)) : resolve(m)));
      child.send(load);
    }),
    close: () => child.kill(),
  };
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

  // The same seeded data and models twice: one engine ranks inline, the other on its serving worker.
  const inline = new LocalPersonalize({ inMemory: true });
  const worker = new LocalPersonalize({ inMemory: true, servingWorker: true });
  const campaigns = await trainedCampaigns(inline, 10_000);
  const workerCampaigns = await trainedCampaigns(worker, 10_000);
  const inlineServer = await startServer({ api: wrapEngine(inline.engine).api, port: 0 });
  const workerServer = await startServer({ api: wrapEngine(worker.engine).api, port: 0 });
  const floorUs = scoringFloorUs();
  const ceiling = await ceilingServers(floorUs, fixed);
  const child = childClient();
  const results: BenchResult[] = [];
  const runs = [
    ['client in process', (l: Load) => measure(l), 'raw'],
    ['client in a child process', (l: Load) => child.measure(l), 'raw'],
    ['official JS SDK client in a child process', (l: Load) => child.measure(l), 'sdk'],
  ] as const;
  for (const [where, run, client] of runs) {
    const load = (port: number, campaignArn?: string): Load => ({ port, campaignArn, users: 2000, seconds: SECONDS, connections: 2, client });
    // One untimed second first: the SDK client's code (signing, middleware, parsing) is still being compiled
    // after the 0.5 s warm-up of a load, which put the first bare figure 25-30% low.
    await run({ ...load(barePort), seconds: 1 });
    // Bare and ours alternate, each measured right before ours, so machine noise hits both alike.
    const cases = [
      ['aws-popularity-count', 'popularity-count (protocol and pipeline overhead)', inlineServer.port, campaigns],
      ['aws-user-personalization', 'user-personalization inline, 64 factors, softmax scores, exploration 0.3', inlineServer.port, campaigns],
      ['aws-user-personalization', 'user-personalization on the serving worker, same model', workerServer.port, workerCampaigns],
    ] as const;
    for (const [recipe, what, port, arns] of cases) {
      const b = await serverCpu(() => run(load(barePort)));
      const o = await serverCpu(() => run(load(port, arns[recipe])));
      results.push(
        { name: `http (${where}): bare node:http, fixed 1 KB JSON (before ${what.split(',')[0]})`, value: b.rps, unit: 'req/s' },
        { name: `http (${where}): GetRecommendations 10k items, ${what}`, value: o.rps, unit: 'req/s', baseline: b.rps, ratio: o.rps / b.rps },
      );
      // With the client in a child process, each side's CPU per request says where a request's time goes: the
      // client's own (measured there), and this process's, which is then the server's (both servers live here,
      // one loaded at a time; the serving worker's thread counts too).
      if (where !== 'client in process') {
        const short = what.split(',')[0];
        results.push(
          { name: `http (${where}): client CPU per request to ours, ${short} (baseline: to bare)`, value: o.cpuUsPerRequest, unit: 'us', baseline: b.cpuUsPerRequest, ratio: o.cpuUsPerRequest / b.cpuUsPerRequest },
          { name: `http (${where}): server CPU per request, ours, ${short} (baseline: bare)`, value: o.serverUs, unit: 'us', baseline: b.serverUs, ratio: o.serverUs / b.serverUs },
        );
      }
    }
    if (where === 'client in a child process') {
      for (const [how, port] of [['inline', ceiling.inlinePort], ['on a worker thread (as servingWorker)', ceiling.workerPort]] as const) {
        const b = await run(load(barePort));
        const c = await run(load(port));
        results.push({
          name: `http (${where}): ceiling of user-personalization here: bare node:http spinning the exact scoring floor (${floorUs.toFixed(0)} us per request: 10k items' scores and softmax terms) ${how}`,
          value: c.rps, unit: 'req/s', baseline: b.rps, ratio: c.rps / b.rps,
        });
      }
    }
  }
  results.push({ name: 'http: load average (1 min) at the end of the suite', value: loadavg()[0]!, unit: '' });
  child.close();
  bare.close();
  await inlineServer.close();
  await workerServer.close();
  await ceiling.close();
  await inline.close();
  await worker.close();
  return results;
}
