import { afterAll, describe, expect, it } from 'vitest';
import { programUrl, Team, trainingRun, type ProgramHandler } from '../src/lib/threads/team.js';

// A program as a data: URL module, and the same code for the calling thread: each block writes its own slot.
const SOURCE = `export function program(data, thread) {
  const out = new Float64Array(data.out), who = new Int32Array(data.who);
  return (task, block, i32, f64) => {
    if (task === 9) throw new Error('block ' + block + ' refused');
    let s = 0;
    for (let q = 0; q < 2000 + (block % 7) * 500; q++) s += Math.sqrt(q + block * i32[0] + f64[0]);
    out[block] = s;
    who[block] = thread;
  };
}`;
const URL_OF = 'data:text/javascript,' + encodeURIComponent(SOURCE);
const local = { program: new Function('data', 'thread', SOURCE.replace('export function program(data, thread) {', '').replace(/}$/, '')) as (d: unknown, t: number) => ProgramHandler };

function runOn(threads: number, blocks: number): { out: Float64Array; who: Int32Array } {
  const data = { out: new SharedArrayBuffer(blocks * 8), who: new SharedArrayBuffer(blocks * 4) };
  const team = new Team(threads);
  try {
    team.install('sum', URL_OF, data, local);
    for (let r = 0; r < 20; r++) team.run('sum', 0, blocks, [3], [0.5]); // many generations back to back
    return { out: new Float64Array(data.out), who: new Int32Array(data.who) };
  } finally {
    team.close();
  }
}

describe('thread team', () => {
  const teams: Team[] = [];
  afterAll(() => teams.forEach((t) => t.close()));

  it('runs every block once, and gives the same bytes on 1, 2 and 3 threads', () => {
    const one = runOn(1, 301), two = runOn(2, 301), three = runOn(3, 301);
    expect(one.out.every((v) => v > 0)).toBe(true);
    expect(Buffer.from(two.out.buffer)).toEqual(Buffer.from(one.out.buffer));
    expect(Buffer.from(three.out.buffer)).toEqual(Buffer.from(one.out.buffer));
    expect(new Set(one.who)).toEqual(new Set([0]));
    // With workers, blocks are shared out (which thread runs which is decided at run time).
    expect(Math.max(...three.who)).toBeGreaterThan(0);
  });

  it('runs each block of each run exactly once when short runs of different sizes follow each other', () => {
    // A worker that read a finished run's claim counter must not claim a block of the next, larger run before it
    // starts (that block then ran twice: ~5-170 times per 100,000 runs before the fix).
    const source = `export function program(data) {
      const hits = new Int32Array(data.hits);
      return (task, block) => { Atomics.add(hits, block, 1); };
    }`;
    const data = { hits: new SharedArrayBuffer(64 * 4) };
    const hits = new Int32Array(data.hits);
    const team = new Team(2);
    teams.push(team);
    team.install('hits', 'data:text/javascript,' + encodeURIComponent(source), data, {
      program: () => (_task: number, block: number) => { Atomics.add(hits, block, 1); },
    });
    let wrong = 0;
    for (let r = 0; r < 100_000; r++) {
      const blocks = r % 2 ? 64 : 1;
      team.run('hits', 0, blocks);
      for (let b = 0; b < 64; b++) if (Atomics.exchange(hits, b, 0) !== (b < blocks ? 1 : 0)) wrong++;
    }
    expect(wrong).toBe(0);
  });

  it('reports a failing block as an error of the run, and stays usable', () => {
    const team = new Team(2);
    teams.push(team);
    const data = { out: new SharedArrayBuffer(64 * 8), who: new SharedArrayBuffer(64 * 4) };
    team.install('sum', URL_OF, data, local);
    expect(() => team.run('sum', 9, 64)).toThrow(/refused/);
    team.run('sum', 0, 64, [1], [0]);
    expect(new Float64Array(data.out).every((v) => v > 0)).toBe(true);
    expect(() => team.run('missing', 0, 4)).toThrow(/not installed/);
  });

  it('opens a training run\'s team only when asked, one for the whole run', () => {
    const solo = trainingRun(1);
    expect(solo.team).toBeUndefined();
    const run = trainingRun(2);
    const a = run.team!(), b = run.team!();
    expect(a).toBe(b);
    expect(a.threads).toBe(2);
    run.close();
    expect(() => a.run('sum', 0, 1)).toThrow();
  });

  it('maps a program file under src/ to its compiled copy in dist/', () => {
    expect(programUrl('file:///r/src/recipes/mf/als.ts', './als-program.js')).toBe('file:///r/dist/recipes/mf/als-program.js');
    expect(programUrl('file:///r/dist/recipes/mf/als.js', './als-program.js')).toBe('file:///r/dist/recipes/mf/als-program.js');
  });
});
