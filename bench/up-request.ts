// In-process GetRecommendations on the HTTP bench's user-personalization campaign (10k items, 64 factors,
// softmax scores, exploration 0.3): per-request time, and a digest of every answer for users u0..u1999 so that
// two builds can be compared byte for byte. Run: node dist-bench/bench/up-request.js [rounds]
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { LocalPersonalize } from '../src/api/client.js';
import { getRecommendations } from '../src/engine/serving/recommend.js';
import { trainedCampaigns } from './http.js';

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 5);
  const p = new LocalPersonalize({ inMemory: true });
  const campaigns = await trainedCampaigns(p, 10_000);
  const e = p.engine;
  for (const recipe of ['aws-user-personalization', 'aws-popularity-count']) {
    const campaignArn = campaigns[recipe]!;
    const ask = (u: number, numResults = 25) => getRecommendations(e, { campaignArn, userId: `u${u}`, numResults }).itemList;
    const digest = createHash('sha256');
    for (let u = 0; u < 2000; u++) digest.update(JSON.stringify(ask(u)));
    for (let u = 0; u < 200; u++) digest.update(JSON.stringify(ask(u, 500)));
    digest.update(JSON.stringify(ask(-1))); // unknown user: popularity fallback
    const times: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      for (let u = 0; u < 2000; u++) ask(u);
      times.push(((performance.now() - t0) / 2000) * 1000);
    }
    times.sort((a, b) => a - b);
    console.log(`${recipe}: digest ${digest.digest('hex').slice(0, 16)}  per request: best ${times[0]!.toFixed(1)} us, median ${times[times.length >> 1]!.toFixed(1)} us  (load ${loadavg().map((x) => x.toFixed(2)).join(' ')})`);
  }
  await p.close();
}

void main();
