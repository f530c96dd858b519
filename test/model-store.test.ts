// The model store writes model files off the calling thread and atomically: a reader sees no model, then the
// whole model, never part of one; what it loads is what was trained.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelStore } from '../src/engine/store/model-store.js';
import { bundleInfo, decodeBundle, encodeBundle } from '../src/engine/training/bundle.js';
import { itemIndexes } from '../src/engine/training/train-job.js';
import { popularityCount } from '../src/recipes/popularity-count.js';

const dir = mkdtempSync(join(tmpdir(), 'model-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bundleBytes(items: number, rows: number): Uint8Array {
  const itemIds = Array.from({ length: items }, (_, i) => `item-${i}`);
  const userItems = Int32Array.from({ length: rows }, (_, r) => r % items);
  return encodeBundle({
    artifact: { recipe: popularityCount.name, meta: {}, arrays: { popularity: Float32Array.from(itemIds, (_, i) => items - i) } },
    userIds: ['u1'], itemIds,
    serving: { itemPopularity: new Float32Array(items), userPtr: Int32Array.of(0, rows), userItems },
    info: { metrics: { coverage: 0.5 } },
  });
}

describe('model store', () => {
  it('writes a model file whole, off the calling thread: nothing under its name until it is all there', async () => {
    const store = new ModelStore(dir);
    const arn = 'arn:aws:personalize:us-east-1:000000000000:solution/s/1';
    const bytes = bundleBytes(50, 4_000_000); // 16 MB of history
    const saving = store.save(arn, bytes);
    expect(store.has(arn)).toBe(false); // the write goes on in the background
    await saving;
    expect(store.has(arn)).toBe(true);
    expect(Buffer.from(store.bytesOf(arn)).equals(Buffer.from(bytes))).toBe(true);
    expect(store.load(arn).bundle.itemIds[3]).toBe('item-3');
    // No temporary file is left beside it.
    expect(readdirSync(join(dir, 'models', 'solution', 's'))).toEqual(['1.model']);
  });

  it('keeps training histories as 2-byte item indexes when the catalogue fits, and reads back the same indexes', () => {
    const history = Int32Array.of(0, 65_535, 7, 40_000);
    const narrow = itemIndexes(history, 65_536);
    expect(narrow).toBeInstanceOf(Uint16Array);
    const back = decodeBundle(encodeBundle({
      artifact: { recipe: popularityCount.name, meta: {}, arrays: {} }, userIds: ['u1'], itemIds: [],
      serving: { userPtr: Int32Array.of(0, 4), userItems: narrow }, info: {},
    }));
    expect([...back.serving.userItems!]).toEqual([...history]);
    // A bigger catalogue keeps 4 bytes per index: the same array, not a copy.
    expect(itemIndexes(history, 65_537)).toBe(history);
  });

  it('reads a model file\'s info without decoding its arrays', () => {
    const bytes = bundleBytes(5, 10);
    expect(bundleInfo(bytes)).toEqual(decodeBundle(bytes).info);
    expect(bundleInfo(bytes)).toEqual({ metrics: { coverage: 0.5 } });
    expect(() => bundleInfo(new Uint8Array(16))).toThrow(/not a personalize-local model file/);
  });

  it('an in-memory store adopts bytes at once; a store on disk refuses to', () => {
    const mem = new ModelStore(null), arn = 'arn:aws:personalize:us-east-1:000000000000:solution/s/2';
    mem.adopt(arn, bundleBytes(5, 10));
    expect(mem.has(arn)).toBe(true);
    expect(() => new ModelStore(dir).adopt(arn, bundleBytes(5, 10))).toThrow(/in-memory/);
  });
});
