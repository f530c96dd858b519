// The repeat model on hand-computed cases: what learnRepeat counts in its time-ordered pass, how event types and
// recency separate, and that the serving stage's scores are the documented mixture's logits.
import { describe, expect, it } from 'vitest';
import { trainingDataFromRows } from '../src/engine/evaluation/load-csv.js';
import { bucketOf, learnRepeat, RepeatScratch, repeatTable, repeatTerms, type RepeatStats } from '../src/engine/training/repeat.js';

const rows = (user: string, items: string[], types?: string[]) =>
  items.map((item, k) => ({ user, item, timestamp: 1000 + k, ...(types ? { eventType: types[k] } : {}) }));

describe('learnRepeat', () => {
  it('counts exposures and revisits per recency bucket in each user\'s time order', () => {
    // a: x, y, x -> before y: {x} exposed at rank 0; before the second x: y at rank 0, x at rank 1 (a hit in bucket 1).
    // b: z alone -> nothing to count.
    const s = learnRepeat(trainingDataFromRows([...rows('a', ['x', 'y', 'x']), ...rows('b', ['z'])]));
    expect(s.events).toBe(2);
    expect(s.repeats).toBe(1);
    expect(s.repeatShare).toBe(0.5);
    expect(s.newItemRate).toBe((1 + 0.5) / (2 + 1));
    expect(s.eventTypes).toEqual([]);
    // One row (all event types): exposures 2 in bucket 0, 1 in bucket 1; hits 0 and 1. Overall rate (1 + 0.5) / (3 + 1).
    const overall = 1.5 / 4;
    expect(s.hazard[0]).toBeCloseTo((0 + 1) / (2 + 1 / overall), 12);
    expect(s.hazard[1]).toBeCloseTo((1 + 1) / (1 + 1 / overall), 12);
    expect(s.hazard[2]).toBeCloseTo(overall, 12); // no evidence: the overall rate
  });

  it('buckets distinct recency ranks 0, 1, 2-3, 4-7, ..., 32-63, 64+', () => {
    expect([0, 1, 2, 3, 4, 7, 8, 31, 32, 63, 64, 500].map(bucketOf)).toEqual([0, 1, 2, 2, 3, 3, 4, 5, 6, 6, 7, 7]);
  });

  it('follows items past the 64 most recent ones', () => {
    // 70 distinct items, then the first again (rank 69: bucket 64+), then the newest-but-one (rank 1).
    const items = Array.from({ length: 70 }, (_, k) => `i${k}`);
    const s = learnRepeat(trainingDataFromRows(rows('a', [...items, 'i0', 'i68'])));
    expect(s.repeats).toBe(2);
    const counted = learnRepeat(trainingDataFromRows(rows('a', [...items, 'i0'])));
    // With one hit in the open bucket, its hazard rises above the buckets with none.
    expect(counted.hazard[7]!).toBeGreaterThan(counted.hazard[6]!);
  });

  it('counts what a plain move-to-front list counts, event by event, on long histories with revisits', () => {
    // Users of up to 300 interactions over 120 items, half of them revisits of a recent item, three event types.
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const data: ReturnType<typeof rows> = [];
    for (let u = 0; u < 60; u++) {
      const items: string[] = [], types: string[] = [];
      for (let k = 0, n = 1 + Math.floor(rand() * 300); k < n; k++) {
        const back = Math.floor(rand() ** 3 * 90);
        items.push(k > 0 && rand() < 0.5 ? items[Math.max(0, k - 1 - back)]! : `i${Math.floor(rand() * 120)}`);
        types.push(['view', 'cart', 'buy'][Math.floor(rand() * 3)]!);
      }
      data.push(...rows(`u${u}`, items, types));
    }
    const s = learnRepeat(trainingDataFromRows(data));
    // The reference: before each interaction after a user's first, every distinct history item is exposed in the
    // cell of its latest event type and its rank in the newest-first list; a revisit is a hit in its item's cell.
    const T = s.eventTypes.length, B = s.buckets.length;
    const hits = new Array<number>((T + 1) * B).fill(0), expo = new Array<number>((T + 1) * B).fill(0);
    let events = 0, repeats = 0;
    for (let u = 0; u < 60; u++) {
      const mine = data.filter((r) => r.user === `u${u}`);
      const list: string[] = [], typeOf = new Map<string, number>();
      mine.forEach((r, k) => {
        const rank = list.indexOf(r.item);
        if (k > 0) {
          events++;
          list.forEach((item, at) => { expo[typeOf.get(item)! * B + bucketOf(at)]!++; });
          if (rank >= 0) { repeats++; hits[typeOf.get(r.item)! * B + bucketOf(rank)]!++; }
        }
        if (rank >= 0) list.splice(rank, 1);
        list.unshift(r.item);
        typeOf.set(r.item, s.eventTypes.indexOf(r.eventType!));
      });
    }
    expect([s.events, s.repeats]).toEqual([events, repeats]);
    expect(repeats).toBeGreaterThan(events / 3);
    // The same posterior means from these counts (learnRepeat's formulas, in its order).
    let allHits = 0, allExpo = 0;
    for (let c = 0; c < hits.length; c++) { allHits += hits[c]!; allExpo += expo[c]!; }
    const overall = (allHits + 0.5) / (allExpo + 1), pooled: number[] = [];
    for (let b = 0; b < B; b++) {
      let h = 0, e = 0;
      for (let t = 0; t <= T; t++) { h += hits[t * B + b]!; e += expo[t * B + b]!; }
      pooled.push((h + 1) / (e + 1 / overall));
    }
    const hazard: number[] = [];
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) hazard.push((hits[t * B + b]! + 1) / (expo[t * B + b]! + 1 / pooled[b]!));
    expect(s.hazard).toEqual([...hazard, ...pooled]);
  });

  it('keeps event types apart where the data separates them', () => {
    // Viewed items are bought next; bought items are never touched again.
    const data: ReturnType<typeof rows> = [];
    for (let u = 0; u < 50; u++) {
      const items: string[] = [], types: string[] = [];
      for (let k = 0; k < 6; k++) { items.push(`p${u}-${k}`, `p${u}-${k}`); types.push('View', 'Purchase'); }
      data.push(...rows(`u${u}`, items, types));
    }
    const s = learnRepeat(trainingDataFromRows(data));
    const B = s.buckets.length, row = (t: string) => s.eventTypes.indexOf(t);
    expect(s.repeatShare).toBeCloseTo(300 / 550, 12); // 6 revisits in 11 interactions after the first, per user
    // Bucket 0 (the item used last): a viewed item comes back at once, a bought one does not.
    expect(s.hazard[row('View') * B]!).toBeGreaterThan(0.9);
    expect(s.hazard[row('Purchase') * B]!).toBeLessThan(0.01);
  });
});

describe('the repeat stage (repeatTerms)', () => {
  const stats = (hazard: number[], newItemRate = 0.5): RepeatStats => ({ eventTypes: [], buckets: [0, 1, 2, 4, 8, 16, 32, 64], hazard, events: 1, repeats: 0, repeatShare: 0, newItemRate });

  it('turns scores into the logits of the mixture (1 - R) unseen + R seen, R = H / (H + ν)', () => {
    const h = [0.3, 0.2, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05];
    const table = repeatTable(stats(h, 0.6));
    const scores = Float32Array.of(1.0, 0.2, -0.5, 0.8, 0.1, 0.4);
    const before = Float64Array.from(scores);
    const history = Int32Array.of(3, 1, 3); // distinct, newest first: 3 (rank 0), 1 (rank 1)
    const exp = new Float64Array(6);
    const soft = repeatTerms(scores, history, null, table, new RepeatScratch(6), exp)!;
    const R = (0.3 + 0.2) / (0.3 + 0.2 + 0.6);
    const p = (i: number) => Math.exp(scores[i]! - soft.max) / soft.denom;
    const unseen = [0, 2, 4, 5];
    const zu = unseen.reduce((a, i) => a + Math.exp(before[i]!), 0);
    for (const i of unseen) {
      expect(scores[i]).toBe(Math.fround(before[i]!)); // unseen items keep their scores
      expect(p(i)).toBeCloseTo((1 - R) * Math.exp(before[i]!) / zu, 6);
    }
    const sh = 0.3 * Math.exp(before[3]!) + 0.2 * Math.exp(before[1]!);
    expect(p(3)).toBeCloseTo(R * 0.3 * Math.exp(before[3]!) / sh, 6);
    expect(p(1)).toBeCloseTo(R * 0.2 * Math.exp(before[1]!) / sh, 6);
    expect([0, 1, 2, 3, 4, 5].reduce((a, i) => a + p(i), 0)).toBeCloseTo(1, 6);
  });

  it('puts history items below every other item when nobody comes back', () => {
    const table = repeatTable(stats(Array(8).fill(1e-6), 1));
    const scores = Float32Array.of(3, 2, 1, 0, -1);
    repeatTerms(scores, Int32Array.of(0, 1), null, table, new RepeatScratch(5), new Float64Array(5));
    const order = [...scores.keys()].sort((a, b) => scores[b]! - scores[a]!);
    expect(order).toEqual([2, 3, 4, 0, 1]);
  });

  it('changes nothing without a usable history', () => {
    const table = repeatTable(stats(Array(8).fill(0.1)));
    const scores = Float32Array.of(1, 2);
    expect(repeatTerms(scores, Int32Array.of(-1, 7), null, table, new RepeatScratch(2), new Float64Array(2))).toBeNull();
    expect(repeatTerms(scores, Int32Array.of(0, 1), null, table, new RepeatScratch(2), new Float64Array(2))).toBeNull(); // everything seen
    expect([...scores]).toEqual([1, 2]);
  });
});
