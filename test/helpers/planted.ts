// Seeded datasets with planted structure, where the structure says which recipe must win:
// - 'clusters': users and items fall into taste clusters; a user mostly picks items of their own cluster,
//   items are equally popular: a personalized recipe (user-personalization) must beat popularity.
// - 'sequence': items sit on a ring; each user walks several short stretches of it in order, one after
//   another, and the held-out items continue the last stretch: only what follows the newest item tells
//   them, so item-to-item (aws-sims, asked with the newest item) must win over a user-level model.
// - 'popularity': every user picks items from the same Zipf distribution, independent of taste:
//   popularity is as good as anything can be.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../src/lib/random.js';

export type Structure = 'clusters' | 'sequence' | 'popularity';

export interface PlantedOptions {
  users?: number;
  items?: number;
  /** Interactions per user: uniform in [min, max]. */
  perUser?: [number, number];
  clusters?: number;
  seed?: number;
}

export interface Planted { interactions: string; items: string; rows: number }

const T0 = 1_600_000_000; // 2020-09-13
const DAY = 86_400;
const SEGMENT = 6;

export function planted(structure: Structure, o: PlantedOptions = {}): Planted {
  // Sequences need a catalogue much bigger than a user's stretches, so that stretches rarely meet.
  const seq = structure === 'sequence';
  const users = o.users ?? (seq ? 500 : 400), nItems = o.items ?? (seq ? 1000 : 200), clusters = o.clusters ?? 8;
  const [lo, hi] = o.perUser ?? (seq ? [30, 30] : [15, 35]);
  const rng = new Rng(o.seed ?? 7);
  const zipf = Array.from({ length: nItems }, (_, i) => 1 / (i + 1) ** 0.9);
  const zipfTotal = zipf.reduce((a, b) => a + b, 0);
  const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  for (let u = 0; u < users; u++) {
    const n = lo + rng.int(hi - lo + 1);
    const cluster = u % clusters;
    let start = rng.int(nItems);
    // Each user is active over ~30 days somewhere in a 120-day window: time splits have users on both sides.
    let t = T0 + rng.int(90 * DAY);
    const seen = new Set<number>();
    for (let k = 0; k < n; k++) {
      let item: number;
      if (structure === 'sequence') {
        // Stretches of SEGMENT items, each from a fresh place on the ring.
        if (k > 0 && k % SEGMENT === 0) start = rng.int(nItems);
        item = (start + (k % SEGMENT)) % nItems;
      }
      else if (structure === 'clusters') {
        // 90% of picks within the user's cluster (items i with i % clusters == cluster), the rest anywhere; no repeats.
        do item = rng.next() < 0.9 ? cluster + clusters * rng.int(Math.floor(nItems / clusters)) : rng.int(nItems);
        while (seen.has(item) && seen.size < nItems);
      } else {
        do {
          let r = rng.next() * zipfTotal;
          item = 0;
          while (r > zipf[item]! && item < nItems - 1) r -= zipf[item++]!;
        } while (seen.has(item) && seen.size < nItems);
      }
      seen.add(item);
      t += 1 + rng.int(DAY);
      lines.push(`u${u},i${item},${t},${rng.next() < 0.2 ? 'purchase' : 'click'}`);
    }
  }
  const genre = (i: number) => (structure === 'clusters' ? `taste-${i % clusters}` : `genre-${i % 5}`);
  const items = ['ITEM_ID,GENRES,CREATION_TIMESTAMP', ...Array.from({ length: nItems }, (_, i) => `i${i},${genre(i)}|all,${T0 - DAY * (1 + (i % 40))}`)];
  return { interactions: lines.join('\n') + '\n', items: items.join('\n') + '\n', rows: lines.length - 1 };
}

/** Writes interactions.csv and items.csv of a planted dataset into `dir` (created), returns `dir`. */
export function writePlanted(dir: string, structure: Structure, o: PlantedOptions = {}): string {
  mkdirSync(dir, { recursive: true });
  const p = planted(structure, o);
  writeFileSync(join(dir, 'interactions.csv'), p.interactions);
  writeFileSync(join(dir, 'items.csv'), p.items);
  return dir;
}
