// Writes examples/sample-data/: a small, seeded, made-up streaming catalogue in Personalize's CSV form
// (interactions with taste clusters and a popularity skew, items with genres, users with a plan), for the
// README's evaluate quick start. Run once: node scripts/make-sample-data.mjs (same output every time).
import { mkdirSync, writeFileSync } from 'node:fs';

let s = 20240601 >>> 0;
const next = () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const int = (n) => Math.floor(next() * n);

const GENRES = ['Comedy', 'Drama', 'Action', 'Documentary', 'Animation', 'Horror', 'Romance', 'Sci-Fi'];
const USERS = 320, ITEMS = 240, T0 = 1_700_000_000, DAY = 86_400;
const items = Array.from({ length: ITEMS }, (_, i) => {
  const main = i % GENRES.length, second = (main + 1 + int(GENRES.length - 1)) % GENRES.length;
  return { id: `m${String(i + 1).padStart(3, '0')}`, main, genres: next() < 0.5 ? [GENRES[main]] : [GENRES[main], GENRES[second]], created: T0 - DAY * (30 + int(900)) };
});
// Within a genre, some titles are much more watched than others.
const weight = items.map((_, i) => 1 / (1 + Math.floor(i / GENRES.length)) ** 0.8);
const pick = (pool) => { const total = pool.reduce((a, i) => a + weight[i], 0); let r = next() * total; for (const i of pool) { r -= weight[i]; if (r <= 0) return i; } return pool[pool.length - 1]; };
const byGenre = GENRES.map((_, g) => items.map((it, i) => (it.main === g ? i : -1)).filter((i) => i >= 0));
const all = items.map((_, i) => i);

const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
const users = ['USER_ID,PLAN'];
for (let u = 0; u < USERS; u++) {
  const id = `u${String(u + 1).padStart(3, '0')}`;
  users.push(`${id},${next() < 0.3 ? 'premium' : 'free'}`);
  const tastes = [int(GENRES.length), int(GENRES.length)];
  const n = 4 + int(next() < 0.7 ? 26 : 60);
  let t = T0 + int(120 * DAY);
  const seen = new Set();
  for (let k = 0; k < n && seen.size < ITEMS; k++) {
    let i;
    do i = next() < 0.8 ? pick(byGenre[tastes[next() < 0.7 ? 0 : 1]]) : pick(all); while (seen.has(i));
    seen.add(i);
    t += 600 + int(3 * DAY);
    lines.push(`${id},${items[i].id},${t},watch`);
    if (next() < 0.25) lines.push(`${id},${items[i].id},${t + 60},like`);
  }
}
mkdirSync('examples/sample-data', { recursive: true });
writeFileSync('examples/sample-data/interactions.csv', lines.join('\n') + '\n');
writeFileSync('examples/sample-data/items.csv', ['ITEM_ID,GENRES,CREATION_TIMESTAMP', ...items.map((it) => `${it.id},${it.genres.join('|')},${it.created}`)].join('\n') + '\n');
writeFileSync('examples/sample-data/users.csv', users.join('\n') + '\n');
console.log(`examples/sample-data: ${lines.length - 1} interactions, ${ITEMS} items, ${USERS} users`);
