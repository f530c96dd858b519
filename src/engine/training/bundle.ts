// A trained solution version on disk: one file holding the recipe's artifact and what serving needs
// (id dictionaries, popularity, each user's training history). JSON header + 8-byte aligned typed arrays,
// so the same training gives the same bytes.
import type { ModelArtifact, TypedArray } from '../../recipes/types.js';

const MAGIC = 0x314d4c50; // "PLM1"

export interface ModelBundle {
  artifact: ModelArtifact;
  userIds: string[];
  itemIds: string[];
  /** Serving arrays computed by the engine: itemPopularity, itemCreationTime, userPtr, userItems, ... */
  serving: Record<string, TypedArray>;
  /** Small JSON the engine keeps with the model (metrics, training config, compute path). */
  info: Record<string, unknown>;
  /** Set when decoded shared (decodeBundle): the header and SharedArrayBuffer body a worker views the arrays from. */
  source?: BundleSource;
}

const CTORS = { Float32Array, Float64Array, Int32Array, Uint32Array, Uint16Array, Uint8Array } as const;
type Dtype = keyof typeof CTORS;

export function encodeBundle(b: ModelBundle): Uint8Array {
  const arrays: { name: string; dtype: Dtype; offset: number; length: number }[] = [];
  const parts: TypedArray[] = [];
  let offset = 0;
  const add = (name: string, a: TypedArray): void => {
    arrays.push({ name, dtype: a.constructor.name as Dtype, offset, length: a.length });
    parts.push(a);
    offset += (a.byteLength + 7) & ~7;
  };
  for (const [k, a] of Object.entries(b.artifact.arrays)) add(`artifact.${k}`, a);
  for (const [k, a] of Object.entries(b.serving)) add(`serving.${k}`, a);
  const header = Buffer.from(JSON.stringify({
    recipe: b.artifact.recipe, meta: b.artifact.meta, info: b.info, userIds: b.userIds, itemIds: b.itemIds, arrays,
  }));
  const headerLen = (header.length + 7) & ~7;
  const out = new Uint8Array(8 + headerLen + offset);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, header.length, true);
  out.set(header, 8);
  arrays.forEach((a, i) => {
    const p = parts[i]!;
    out.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), 8 + headerLen + a.offset);
  });
  return out;
}

/** A decoded bundle's header and body: what a worker thread needs to view the same model (sharedBundle). */
export interface BundleSource { header: BundleHeader; body: Uint8Array }
interface BundleHeader { recipe: string; meta: ModelArtifact['meta']; userIds: string[]; itemIds: string[]; info: Record<string, unknown>; arrays: { name: string; dtype: Dtype; offset: number; length: number }[] }

/**
 * The model file's bytes as a bundle. `shared`: the arrays are views of one SharedArrayBuffer, and the bundle
 * carries its source so that a worker thread can view the same arrays (bundleFromSource) instead of a copy.
 */
export function decodeBundle(bytes: Uint8Array, shared = false): ModelBundle {
  const { header, base } = readHeader(bytes);
  // Copy into a fresh, aligned buffer so typed-array views are valid whatever the source alignment.
  let body: Uint8Array;
  if (shared) {
    body = new Uint8Array(new SharedArrayBuffer(bytes.length - base));
    body.set(bytes.subarray(base));
  } else body = bytes.slice(base);
  const bundle: ModelBundle = bundleFromSource({ header, body });
  if (shared) bundle.source = { header, body };
  return bundle;
}

/** The header's info alone (metrics, training config), without copying the arrays: what picking an HPO trial needs. */
export function bundleInfo(bytes: Uint8Array): Record<string, unknown> {
  return readHeader(bytes).header.info;
}

/** The JSON header and where the arrays' body starts. */
function readHeader(bytes: Uint8Array): { header: BundleHeader; base: number } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) throw new Error('not a personalize-local model file');
  const len = dv.getUint32(4, true);
  const header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, len).toString('utf8')) as BundleHeader;
  return { header, base: 8 + ((len + 7) & ~7) };
}

/** The bundle whose arrays are views of `body` (no copy). */
export function bundleFromSource({ header: h, body }: BundleSource): ModelBundle {
  const artifact: ModelArtifact = { recipe: h.recipe, meta: h.meta, arrays: {} };
  const serving: Record<string, TypedArray> = {};
  for (const a of h.arrays) {
    const arr = new CTORS[a.dtype](body.buffer as ArrayBuffer, body.byteOffset + a.offset, a.length);
    if (a.name.startsWith('artifact.')) artifact.arrays[a.name.slice(9)] = arr;
    else serving[a.name.slice(8)] = arr;
  }
  return { artifact, userIds: h.userIds, itemIds: h.itemIds, serving, info: h.info };
}
