// A tiny WebAssembly binary encoder: just the sections and opcodes our scoring kernels use, so the
// .wasm is assembled in TypeScript at load time and no toolchain is ever downloaded.

export const I32 = 0x7f, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b;
export type ValType = typeof I32 | typeof F32 | typeof F64 | typeof V128;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) { out.push(b); return out; }
    out.push(b | 0x80);
  }
}

const name = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, 'utf8')];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/** Instruction emitter for one function body; method names follow the WebAssembly text format. */
export class Code {
  readonly bytes: number[] = [];
  private readonly localTypes: ValType[] = [];
  constructor(readonly params: ValType[], readonly results: ValType[]) {}

  /** Declares a local and returns its index (params come first). */
  local(t: ValType): number { this.localTypes.push(t); return this.params.length + this.localTypes.length - 1; }

  private op(...b: number[]): this { for (const x of b) this.bytes.push(x); return this; }
  private simd(code: number, ...imm: number[]): this { return this.op(0xfd, ...uleb(code), ...imm); }
  private mem(align: number, offset: number): number[] { return [...uleb(align), ...uleb(offset)]; }

  // control
  block(): this { return this.op(0x02, 0x40); }
  loop(): this { return this.op(0x03, 0x40); }
  if_(): this { return this.op(0x04, 0x40); }
  else_(): this { return this.op(0x05); }
  end(): this { return this.op(0x0b); }
  br(depth: number): this { return this.op(0x0c, ...uleb(depth)); }
  brIf(depth: number): this { return this.op(0x0d, ...uleb(depth)); }
  return_(): this { return this.op(0x0f); }
  call(fn: number): this { return this.op(0x10, ...uleb(fn)); }
  // locals
  get(i: number): this { return this.op(0x20, ...uleb(i)); }
  set(i: number): this { return this.op(0x21, ...uleb(i)); }
  tee(i: number): this { return this.op(0x22, ...uleb(i)); }
  // scalar memory
  i32Load(offset = 0): this { return this.op(0x28, ...this.mem(2, offset)); }
  f32Load(offset = 0): this { return this.op(0x2a, ...this.mem(2, offset)); }
  i32Load8u(offset = 0): this { return this.op(0x2d, ...this.mem(0, offset)); }
  f64Load(offset = 0): this { return this.op(0x2b, ...this.mem(3, offset)); }
  i32Store(offset = 0): this { return this.op(0x36, ...this.mem(2, offset)); }
  f64Store(offset = 0): this { return this.op(0x39, ...this.mem(3, offset)); }
  f32Store(offset = 0): this { return this.op(0x38, ...this.mem(2, offset)); }
  // scalar arithmetic
  i32Const(v: number): this { return this.op(0x41, ...sleb(v | 0)); }
  f32Const(v: number): this { const b = Buffer.alloc(4); b.writeFloatLE(v); return this.op(0x43, ...b); }
  f64Const(v: number): this { const b = Buffer.alloc(8); b.writeDoubleLE(v); return this.op(0x44, ...b); }
  select(): this { return this.op(0x1b); }
  i32Eqz(): this { return this.op(0x45); }
  i32LtU(): this { return this.op(0x49); }
  i32GtS(): this { return this.op(0x4a); }
  i32LtS(): this { return this.op(0x48); }
  i32GeS(): this { return this.op(0x4e); }
  i32Eq(): this { return this.op(0x46); }
  i32GeU(): this { return this.op(0x4f); }
  f32Eq(): this { return this.op(0x5b); }
  f32Lt(): this { return this.op(0x5d); }
  f32Gt(): this { return this.op(0x5e); }
  f64Lt(): this { return this.op(0x63); }
  f64Eq(): this { return this.op(0x61); }
  f32Le(): this { return this.op(0x5f); }
  i32Add(): this { return this.op(0x6a); }
  i32Sub(): this { return this.op(0x6b); }
  i32Mul(): this { return this.op(0x6c); }
  i32RemU(): this { return this.op(0x70); }
  i32And(): this { return this.op(0x71); }
  i32Or(): this { return this.op(0x72); }
  i32Xor(): this { return this.op(0x73); }
  i32Shl(): this { return this.op(0x74); }
  i32ShrU(): this { return this.op(0x76); }
  f32Add(): this { return this.op(0x92); }
  f32Mul(): this { return this.op(0x94); }
  f64Add(): this { return this.op(0xa0); }
  f64Sub(): this { return this.op(0xa1); }
  f64Mul(): this { return this.op(0xa2); }
  f64Div(): this { return this.op(0xa3); }
  f64ConvertI32S(): this { return this.op(0xb7); }
  f64PromoteF32(): this { return this.op(0xbb); }
  // SIMD (final opcode numbering of the fixed-width SIMD proposal)
  v128Load(offset = 0): this { return this.simd(0x00, ...this.mem(4, offset)); }
  i16x8Load8x8s(offset = 0): this { return this.simd(0x01, ...this.mem(3, offset)); }
  /** 8 bytes into the low half of a v128, the high half 0. */
  v128Load64Zero(offset = 0): this { return this.simd(0x5d, ...this.mem(3, offset)); }
  v128Store(offset = 0): this { return this.simd(0x0b, ...this.mem(4, offset)); }
  v128Const(bytes: number[]): this { return this.simd(0x0c, ...bytes); }
  /** Picks 32-bit lanes from the concatenation a:b (lanes 0-3 from a, 4-7 from b). */
  shuffle32(l0: number, l1: number, l2: number, l3: number): this {
    return this.simd(0x0d, ...[l0, l1, l2, l3].flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]));
  }
  f32x4Splat(): this { return this.simd(0x13); }
  f32x4ExtractLane(lane: number): this { return this.simd(0x1f, lane); }
  f64x2Splat(): this { return this.simd(0x14); }
  i32x4ExtractLane(lane: number): this { return this.simd(0x1b, lane); }
  f64x2ExtractLane(lane: number): this { return this.simd(0x21, lane); }
  f64x2ReplaceLane(lane: number): this { return this.simd(0x22, lane); }
  f32x4Gt(): this { return this.simd(0x44); }
  f32x4Le(): this { return this.simd(0x45); }
  f64x2Gt(): this { return this.simd(0x4a); }
  v128And(): this { return this.simd(0x4e); }
  v128AnyTrue(): this { return this.simd(0x53); }
  f64x2PromoteLowF32x4(): this { return this.simd(0x5f); }
  f64x2Floor(): this { return this.simd(0x75); }
  i32x4Bitmask(): this { return this.simd(0xa4); }
  i32x4Add(): this { return this.simd(0xae); }
  i32x4DotI16x8s(): this { return this.simd(0xba); }
  f32x4Add(): this { return this.simd(0xe4); }
  f32x4Mul(): this { return this.simd(0xe6); }
  f32x4ConvertI32x4s(): this { return this.simd(0xfa); }
  /** Negation (a sign flip, exact). */
  f64x2Neg(): this { return this.simd(0xed); }
  f64x2Add(): this { return this.simd(0xf0); }
  f64x2Sub(): this { return this.simd(0xf1); }
  f64x2Mul(): this { return this.simd(0xf2); }
  /** Lanes 0-1: the two f64 lanes truncated toward zero (saturating); lanes 2-3: 0. */
  i32x4TruncSatF64x2SZero(): this { return this.simd(0xfc); }
  /** The low two i32 lanes as f64. */
  f64x2ConvertLowI32x4S(): this { return this.simd(0xfe); }

  /** The function body as it appears in the code section. */
  body(): number[] {
    const groups: number[][] = [];
    for (const t of this.localTypes) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]!++;
      else groups.push([1, t]);
    }
    const inner = [...uleb(groups.length), ...groups.flatMap(([n, t]) => [...uleb(n!), t!]), ...this.bytes, 0x0b];
    return [...uleb(inner.length), ...inner];
  }
}

export interface MemoryImport { module: string; field: string; minPages: number; maxPages: number; shared: boolean }

/** A module that imports one memory and exports the given functions by name, in index order. */
export function assemble(memory: MemoryImport, funcs: Array<{ name: string | null; code: Code }>): Uint8Array<ArrayBuffer> {
  const types = funcs.map(({ code }) => [0x60, ...vec(code.params.map((t) => [t])), ...vec(code.results.map((t) => [t]))]);
  const limits = memory.shared ? [0x03, ...uleb(memory.minPages), ...uleb(memory.maxPages)] : [0x01, ...uleb(memory.minPages), ...uleb(memory.maxPages)];
  const imports = [[...name(memory.module), ...name(memory.field), 0x02, ...limits]];
  const exported = funcs.map((f, i) => [f.name, i] as const).filter((e): e is readonly [string, number] => e[0] !== null);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec(funcs.map((_, i) => uleb(i)))),
    ...section(7, vec(exported.map(([n, i]) => [...name(n), 0x00, ...uleb(i)]))),
    ...section(10, vec(funcs.map(({ code }) => code.body()))),
  ];
  return Uint8Array.from(bytes);
}
