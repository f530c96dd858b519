// A seeded interactions file shaped like MovieLens-25M (162,541 users, 59,047 items, 25M rows, ratings as
// EVENT_VALUE) with planted taste clusters, written once into the OS temp folder and reused by the scale suites.
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../src/lib/random.js';

export interface Ml25mShape {
  rows: number;
  users: number;
  items: number;
  /** Taste clusters: each user draws most of its items from its cluster's slice of the catalogue. */
  clusters: number;
}

/** MovieLens-25M's size; `scaled(0.2)` gives the 5M-row file of the same shape. */
export const ML25M: Ml25mShape = { rows: 25_000_000, users: 162_541, items: 59_047, clusters: 40 };

export function scaled(fraction: number): Ml25mShape {
  return {
    rows: Math.round(ML25M.rows * fraction),
    users: Math.round(ML25M.users * fraction),
    items: Math.round(ML25M.items * fraction),
    clusters: ML25M.clusters,
  };
}

export const ML25M_HEADER = 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE';

/**
 * The path of the file for `shape` (written on first use, ~850 MB at full size; later calls return at once).
 * Rows come user by user, as MovieLens's ratings.csv does: each user gets rows/users interactions on average
 * (a long-tailed count), 80% from its own cluster's items (Zipf-like popularity inside the cluster) and 20%
 * from the whole catalogue's popular head, with increasing timestamps and ratings 0.5-5.
 */
export async function ensureMl25mFile(shape: Ml25mShape = ML25M, seed = 25): Promise<string> {
  const dir = join(tmpdir(), 'personalize-local-bench');
  const path = join(dir, `ml25m-v1-${shape.rows}-${shape.users}-${shape.items}-${shape.clusters}-${seed}.csv`);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  const rng = new Rng(seed);
  const out = createWriteStream(`${path}.tmp`);
  const write = (s: string): Promise<void> =>
    out.write(s) ? Promise.resolve() : new Promise((done) => out.once('drain', () => done()));
  await write(ML25M_HEADER + '\n');
  const perCluster = Math.max(1, Math.floor(shape.items / shape.clusters));
  // Zipf-like rank within a range: floor(n * u^2) puts most draws on the first ranks.
  const skewed = (n: number): number => Math.min(n - 1, Math.floor(n * rng.next() * rng.next()));
  let written = 0;
  let t = 1_000_000_000;
  for (let u = 0; u < shape.users && written < shape.rows; u++) {
    const usersLeft = shape.users - u;
    const mean = (shape.rows - written) / usersLeft;
    // Long-tailed history length around the mean (at least 1; the last user takes what is left).
    let n = u === shape.users - 1 ? shape.rows - written : Math.max(1, Math.round(mean * 2 * rng.next() * rng.next() * 2));
    n = Math.min(n, shape.rows - written);
    const cluster = u % shape.clusters;
    const lines: string[] = [];
    for (let k = 0; k < n; k++) {
      const item = rng.next() < 0.8 ? cluster * perCluster + skewed(perCluster) : skewed(shape.items);
      t += 1 + rng.int(30);
      const rating = (1 + rng.int(10)) / 2;
      lines.push(`${u + 1},${item + 1},${t},rating,${rating}`);
    }
    written += n;
    await write(lines.join('\n') + '\n');
  }
  await new Promise<void>((done, fail) => out.end((e?: Error | null) => (e ? fail(e) : done())));
  renameSync(`${path}.tmp`, path);
  return path;
}
