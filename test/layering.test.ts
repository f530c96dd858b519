// The house's layering: imports point downwards only (cli -> workbench -> api -> engine -> recipes -> lib, and
// inside the engine resources -> batch -> serving -> core -> data/store/filters/training -> vocabulary), no circles.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, also run by hand (node scripts/check-imports.mjs)
import { importCircles, importGraph, layerOf, upwardImports } from '../scripts/check-imports.mjs';

const graph: Map<string, string[]> = importGraph(fileURLToPath(new URL('../src', import.meta.url)));

describe('import layering of src/', () => {
  it('has no upward import', () => {
    expect(upwardImports(graph)).toEqual([]);
  });

  it('has no import circle, type imports included', () => {
    expect(importCircles(graph)).toEqual([]);
  });

  it('knows the layer of every file', () => {
    for (const f of graph.keys()) expect(() => layerOf(f)).not.toThrow();
    expect(graph.size).toBeGreaterThan(100);
  });

  it('would catch an engine core that imports an operation, and a circle', () => {
    const bad = new Map([
      ['engine/core/engine.ts', ['engine/resources/auto-training.ts']],
      ['engine/resources/auto-training.ts', ['engine/core/engine.ts']],
      ['engine/resources/campaigns.ts', ['engine/resources/solutions.ts']],
      ['engine/resources/solutions.ts', ['engine/resources/campaigns.ts']],
    ]);
    expect(upwardImports(bad)).toEqual(['engine/core/engine.ts -> engine/resources/auto-training.ts (engine: core imports engine: resources)']);
    expect(importCircles(bad)).toEqual([
      ['engine/core/engine.ts', 'engine/resources/auto-training.ts'],
      ['engine/resources/campaigns.ts', 'engine/resources/solutions.ts'],
    ]);
  });
});
