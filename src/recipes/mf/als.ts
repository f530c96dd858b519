// Implicit-feedback ALS (Hu, Koren & Volinsky 2008) solved with a few conjugate-gradient steps per
// row, warm-started from the previous iteration, as the `implicit` library does. The per-row CG
// runs in the WASM SIMD kernels (simd.ts); JS prepares each half-step (eigenbasis). The rows' work (CG, rotation,
// partial Gram matrices) runs on fixed blocks (als-program.ts), over a training's thread team when it has one:
// the block bounds depend only on the data, so the factors are the same bytes for any thread count.
import type { Rng } from '../../lib/random.js';
import { programUrl, type ProgramHandler, type TrainingRun } from '../../lib/threads/team.js';
import * as alsProgram from './als-program.js';
import { alsHandler, CG, GRAM, GRAM_ROWS, ROTATE, SCRATCH_ROWS } from './als-program.js';
import type { Csr } from './confidence.js';
import { jacobiEigen } from './dense.js';
import { createKernels, kernelsOn, sharedPages, type Kernels } from './simd.js';

export interface AlsOptions {
  factors: number;
  regularization: number;
  iterations: number;
  cgSteps: number;
}

/** Floats per stored row: k rounded up to 8, the kernels' step. The padding stays exactly 0. */
export const paddedWidth = (k: number): number => Math.ceil(k / 8) * 8;

/** Below this many stored interactions a training stays on the calling thread (starting workers costs more). */
export const ALS_THREADS_MIN_NNZ = 50_000;
/** Work per CG block: stored entries plus a row's fixed cost (rotation, CG vectors) in entries. */
const BLOCK_COST = 32_768, ROW_COST = 12;

/** Where each array lives in the kernels' memory (byte offsets). */
interface Layout {
  X: number; Y: number; Rptr: number; Ridx: number; Rval: number; Tptr: number; Tidx: number; Tval: number;
  G: number; Q: number; Ub: number; Ib: number; GP: number; S: number; end: number;
}

/** Block bounds over rows by cost (entries + ROW_COST per row): a function of the CSR only. */
function blockBounds(ptr: Int32Array): Int32Array {
  const n = ptr.length - 1, out: number[] = [0];
  let cost = 0;
  for (let r = 0; r < n; r++) {
    cost += ptr[r + 1]! - ptr[r]! + ROW_COST;
    if (cost >= BLOCK_COST && r + 1 < n) { out.push(r + 1); cost = 0; }
  }
  out.push(n);
  return Int32Array.from(out);
}

function layout(nUsers: number, nItems: number, nnz: number, w: number, nUb: number, nIb: number, threads: number): Layout {
  let at = 0;
  const take = (bytes: number): number => { const o = at; at += Math.ceil(bytes / 16) * 16; return o; };
  const kb = w * 4;
  return {
    X: take(nUsers * kb), Y: take(nItems * kb),
    Rptr: take((nUsers + 1) * 4), Ridx: take(nnz * 4), Rval: take(nnz * 4),
    Tptr: take((nItems + 1) * 4), Tidx: take(nnz * 4), Tval: take(nnz * 4),
    G: take(w * kb), Q: take(w * kb), Ub: take(nUb * 4), Ib: take(nIb * 4),
    GP: take(Math.ceil(Math.max(nUsers, nItems) / GRAM_ROWS) * w * kb), S: take(threads * SCRATCH_ROWS * kb), end: at,
  };
}

/** Runs blocks [0, n) of a task: over the team, or one after the other on this thread (the same code per block). */
type Blocks = (task: number, n: number, args: number[]) => void;

/**
 * One half-step: refine every row of the side at `X` (nRows rows, CSR at ptr/idx/val) towards the
 * solution of (FᵀF + reg I + Σ_j (c_j - 1) f_j f_jᵀ) x = Σ_j c_j f_j with `steps` CG steps from its
 * current value, F being the fixed side (nF rows).
 *
 * When the rows outnumber the fixed side enough (steps x nRows > nF), both sides are first rotated
 * into the eigenbasis of FᵀF: the dense k x k product of every CG step (k² per row and step)
 * becomes a diagonal one, which also preconditions the steps, for one k² rotation per row. Dot
 * products, hence scores, are unchanged by the rotation. (Restarting the rows from 0 in the new
 * basis would save the rotation, but measured worse: popular rows never converge in 3 steps.)
 * FᵀF is summed per block of GRAM_ROWS rows, the partial matrices added in block order (in f64).
 */
function halfStep(
  K: Kernels, L: Layout, blocks: Blocks, X: number, rowBounds: number, fBounds: number, nF: number, F: number,
  csr: [number, number, number], nRows: number, w: number, reg: number, steps: number, scratch: { G: Float64Array; V: Float64Array },
): void {
  const kb = w * 4, g = L.G >> 2, { G, V } = scratch;
  const parts = Math.ceil(nF / GRAM_ROWS);
  blocks(GRAM, parts, [F, nF, kb, L.GP]);
  G.fill(0);
  const f = K.f32;
  for (let b = 0; b < parts; b++) {
    const at = (L.GP >> 2) + b * w * w;
    for (let a = 0; a < w; a++) for (let c = a; c < w; c++) G[a * w + c]! += f[at + a * w + c]!;
  }
  for (let a = 0; a < w; a++) for (let c = a + 1; c < w; c++) G[c * w + a] = G[a * w + c]!;
  const diag = steps * nRows > nF;
  f.fill(0, g, g + w * w);
  if (diag) {
    jacobiEigen(G, w, V);
    const q = L.Q >> 2;
    for (let t = 0; t < w * w; t++) f[q + t] = V[t]!;
    const nXb = K.i32[(rowBounds >> 2) - 1]!, nFb = K.i32[(fBounds >> 2) - 1]!;
    blocks(ROTATE, nXb, [X, L.Q, kb, rowBounds]);
    blocks(ROTATE, nFb, [F, L.Q, kb, fBounds]);
    // λ also preconditions (z = r / λ): keep it positive when reg is 0 and F misses a direction.
    for (let a = 0; a < w; a++) f[g + a] = Math.max(G[a * w + a]! + reg, 1e-9);
  } else {
    for (let t = 0; t < w * w; t++) f[g + t] = G[t]!;
    for (let a = 0; a < w; a++) f[g + a * w + a]! += reg;
  }
  const nXb = K.i32[(rowBounds >> 2) - 1]!;
  blocks(CG, nXb, [csr[0], csr[1], csr[2], X, F, L.G, diag ? 1 : 0, kb, steps, rowBounds]);
}

/**
 * ALS's input, written by the caller straight into the training's memory: fresh arrays of tens of MB are slow to
 * touch the first time (see TrainingRun.memory), so R and Rt are built where the kernels read them.
 */
export interface AlsInput {
  /** At most this many entries in R and in Rt. */
  nnz: number;
  /** Writes R (user rows; `into` has nUsers + 1 ptr slots and room for nnz entries) and returns it as views. */
  R(into: Csr): Csr;
  /** Writes Rt (item rows; its rows may omit filtered users) from R into `into` and returns it as views. */
  Rt(R: Csr, into: Csr): Csr;
}

/** Copy `m` into `into` (which has room for it): its prefix views. */
function copyInto(m: Csr, into: Csr): Csr {
  into.ptr.set(m.ptr); into.idx.set(m.idx); into.val.set(m.val);
  return { ptr: into.ptr, idx: into.idx.subarray(0, m.idx.length), val: into.val.subarray(0, m.val.length) };
}

/**
 * Alternate user and item half-steps from small seeded random factors (uniform in [0, 0.01), as
 * implicit). R is user x item confidence, Rt its transpose (its rows may omit filtered users).
 * Returns unpadded factors (n x k). With a TrainingRun of several threads (and enough data) the blocks run over
 * its team, on a shared memory; the result is the same bytes either way.
 */
export function trainAls(
  R: Csr, Rt: Csr, nUsers: number, nItems: number, o: AlsOptions, rng: Rng, opts: { kernels?: Kernels; run?: TrainingRun } = {},
): { X: Float32Array; Y: Float32Array; simd: boolean; threads: number } {
  const input: AlsInput = { nnz: Math.max(R.idx.length, Rt.idx.length), R: (into) => copyInto(R, into), Rt: (_, into) => copyInto(Rt, into) };
  return trainAlsOn(input, nUsers, nItems, o, rng, opts);
}

/** trainAls over an AlsInput (built in the training's memory). */
export function trainAlsOn(
  input: AlsInput, nUsers: number, nItems: number, o: AlsOptions, rng: Rng, opts: { kernels?: Kernels; run?: TrainingRun } = {},
): { X: Float32Array; Y: Float32Array; simd: boolean; threads: number } {
  const k = o.factors, w = paddedWidth(k), kb = w * 4;
  const threaded = !opts.kernels && !!opts.run?.team && opts.run.threads > 1 && input.nnz >= ALS_THREADS_MIN_NNZ;
  const threads = threaded ? opts.run!.threads : 1;
  // Each bounds array is stored after its block count (so halfStep reads both from the memory); room for one
  // block per row at most.
  const L = layout(nUsers, nItems, input.nnz, w, nUsers + 2, nItems + 2, threads);
  let K: Kernels | null = null, blocks: Blocks | null = null, onTeam = false;
  const pages = sharedPages(L.end);
  // The run's memory (kept from its previous training, so its pages are already touched) on one thread or many.
  const mem = opts.kernels ? null : opts.run?.memory?.(pages) ?? null;
  K = mem && kernelsOn(mem.memory, pages, mem.maxPages);
  if (K && mem && threaded) {
    const team = opts.run!.team!();
    team.install('als', programUrl(import.meta.url, './als-program.js'), { memory: mem.memory, pages, maxPages: mem.maxPages, scratch: L.S, kb }, alsProgram);
    blocks = (task, n, args) => team.run('als', task, n, args);
    onTeam = true;
  }
  if (K) K.f32.fill(0, L.X >> 2, (L.Y >> 2) + nItems * w); // padding lanes must be 0; the rest is written before read
  else {
    K = opts.kernels ?? createKernels();
    K.reserve(L.end);
    K.f32.fill(0, 0, L.end >> 2);
  }
  if (!blocks) {
    const handler: ProgramHandler = alsHandler(K, L.S, kb, 0);
    const args = new Int32Array(16), none = new Float64Array(0);
    blocks = (task, n, a) => { args.set(a); for (let b = 0; b < n; b++) handler(task, b, args, none); };
  }
  const view = (ptr: number, idx: number, val: number, rows: number): Csr => ({
    ptr: K!.i32.subarray(ptr >> 2, (ptr >> 2) + rows + 1), idx: K!.i32.subarray(idx >> 2, (idx >> 2) + input.nnz),
    val: K!.f32.subarray(val >> 2, (val >> 2) + input.nnz),
  });
  const R = input.R(view(L.Rptr, L.Ridx, L.Rval, nUsers));
  const Rt = input.Rt(R, view(L.Tptr, L.Tidx, L.Tval, nItems));
  const Ub = blockBounds(R.ptr), Ib = blockBounds(Rt.ptr);
  const KK = K;
  for (let u = 0; u < nUsers; u++) for (let a = 0; a < k; a++) KK.f32[(L.X >> 2) + u * w + a] = rng.next() * 0.01;
  for (let i = 0; i < nItems; i++) for (let a = 0; a < k; a++) KK.f32[(L.Y >> 2) + i * w + a] = rng.next() * 0.01;
  KK.i32[L.Ub >> 2] = Ub.length - 1; KK.i32.set(Ub, (L.Ub >> 2) + 1);
  KK.i32[L.Ib >> 2] = Ib.length - 1; KK.i32.set(Ib, (L.Ib >> 2) + 1);
  const ub = L.Ub + 4, ib = L.Ib + 4;
  const scratch = { G: new Float64Array(w * w), V: new Float64Array(w * w) };
  for (let it = 0; it < o.iterations; it++) {
    halfStep(KK, L, blocks, L.X, ub, ib, nItems, L.Y, [L.Rptr, L.Ridx, L.Rval], nUsers, w, o.regularization, o.cgSteps, scratch);
    halfStep(KK, L, blocks, L.Y, ib, ub, nUsers, L.X, [L.Tptr, L.Tidx, L.Tval], nItems, w, o.regularization, o.cgSteps, scratch);
  }
  const unpad = (at: number, n: number): Float32Array => {
    const out = new Float32Array(n * k);
    for (let i = 0; i < n; i++) out.set(KK.f32.subarray((at >> 2) + i * w, (at >> 2) + i * w + k), i * k);
    return out;
  };
  const result = { X: unpad(L.X, nUsers), Y: unpad(L.Y, nItems), simd: KK.simd, threads: onTeam ? threads : 1 };
  if (onTeam) opts.run!.team!().uninstall('als'); // the workers drop their view of the memory
  return result;
}
