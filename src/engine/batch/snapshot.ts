// A batch job's read-only serving snapshot, taken when it starts answering (Personalize's batch jobs read
// a snapshot too): the records, dataset rows and model its answers read, packed into one SharedArrayBuffer
// that every worker maps without a copy, and the in-memory Engine a worker rebuilds from it.
import { Engine } from '../core/engine.js';
import { decodeBatch } from '../data/arrow-io.js';
import type { Part } from '../data/dataset-store.js';
import { datasetFields } from '../core/group-data.js';
import type { ResourceRecord } from '../store/types.js';

const MAGIC = 0x31534250; // "PBS1"

interface Section { offset: number; length: number }
interface Header {
  seed: number;
  now: number;
  records: ResourceRecord[];
  parts: (Section & { datasetArn: string; part: Part })[];
  models: (Section & { arn: string })[];
}

/** The records a batch answer reads: the version, its solution, dataset group, datasets and schemas, the filter. */
function jobRecords(e: Engine, solutionVersionArn: string, filterArn: string | undefined): ResourceRecord[] {
  const version = e.store.get('solutionVersion', solutionVersionArn);
  const groupArn = version.props.datasetGroupArn as string;
  const datasets = e.store.list('dataset', groupArn);
  const arns = new Set([version.parentArn, groupArn, filterArn, ...datasets.map((d) => d.props.schemaArn as string)]);
  const out = [version, ...datasets];
  for (const arn of arns) {
    const r = arn ? e.store.find(arn) : undefined;
    if (r) out.push(r);
  }
  // Creation order, so the rebuilt store lists them as the original does.
  return out.sort((a, b) => a.seq - b.seq);
}

/** Snapshot what a batch job over `solutionVersionArn` (with `filterArn`) reads. */
export function takeSnapshot(e: Engine, solutionVersionArn: string, filterArn?: string): SharedArrayBuffer {
  const records = jobRecords(e, solutionVersionArn, filterArn);
  const blobs: Uint8Array[] = [];
  let offset = 0;
  const add = (bytes: Uint8Array): Section => {
    const s = { offset, length: bytes.length };
    blobs.push(bytes);
    offset += (bytes.length + 7) & ~7;
    return s;
  };
  const parts: Header['parts'] = [];
  for (const ds of records.filter((r) => r.kind === 'dataset')) {
    for (const part of ['bulk', 'put'] as const) {
      const bytes = e.datasets.bytesOf(ds.arn, part, datasetFields(e, ds));
      if (bytes) parts.push({ datasetArn: ds.arn, part, ...add(bytes) });
    }
  }
  const models = [{ arn: solutionVersionArn, ...add(e.models.bytesOf(solutionVersionArn)) }];
  const header = Buffer.from(JSON.stringify({ seed: e.opts.seed, now: e.now(), records, parts, models } satisfies Header));
  const base = 8 + ((header.length + 7) & ~7);
  const sab = new SharedArrayBuffer(base + offset);
  const view = new Uint8Array(sab);
  new DataView(sab).setUint32(0, MAGIC, true);
  new DataView(sab).setUint32(4, header.length, true);
  view.set(header, 8);
  let at = base;
  for (const b of blobs) {
    view.set(b, at);
    at += (b.length + 7) & ~7;
  }
  return sab;
}

/**
 * An in-memory Engine holding only the snapshot: same seed (answers are seeded per line from it), a clock
 * stopped at the snapshot's time, immediate transitions (statuses as stored), no pools of its own.
 */
export function restoreEngine(sab: SharedArrayBuffer): Engine {
  const dv = new DataView(sab);
  if (dv.getUint32(0, true) !== MAGIC) throw new Error('not a batch job snapshot');
  const len = dv.getUint32(4, true);
  const h = JSON.parse(Buffer.from(sab, 8, len).toString('utf8')) as Header;
  const base = 8 + ((len + 7) & ~7);
  const e = new Engine({ inMemory: true, seed: h.seed, clock: { now: () => h.now }, trainingWorkers: 0, batchWorkers: 0 });
  for (const { seq: _seq, ...r } of h.records) e.store.insert(r);
  // Views of the shared memory: decodeBatch and decodeBundle copy what they keep.
  for (const p of h.parts) e.datasets.adopt(p.datasetArn, p.part, decodeBatch(new Uint8Array(sab, base + p.offset, p.length)));
  for (const m of h.models) e.models.adopt(m.arn, new Uint8Array(sab, base + m.offset, m.length));
  return e;
}
