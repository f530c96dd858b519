// Resources by ARN, with name uniqueness and atomic persistence of the whole index to state.json.
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ResourceAlreadyExistsException, ResourceNotFoundException } from '../errors.js';
import { writeFileAtomic } from './atomic.js';
import { arnRegion, visible } from '../region.js';
import type { ResourceKind, ResourceRecord } from './types.js';

const FORMAT = 1;

const LABEL: Record<ResourceKind, string> = {
  schema: 'schema',
  datasetGroup: 'dataset group',
  dataset: 'dataset',
  datasetImportJob: 'dataset import job',
  datasetExportJob: 'dataset export job',
  solution: 'solution',
  solutionVersion: 'solution version',
  campaign: 'campaign',
  filter: 'filter',
  eventTracker: 'event tracker',
  batchInferenceJob: 'batch inference job',
  batchSegmentJob: 'batch segment job',
  recommender: 'recommender',
  metricAttribution: 'metric attribution',
  dataDeletionJob: 'data deletion job',
};

export const kindLabel = (k: ResourceKind): string => LABEL[k];

export class ResourceStore {
  private readonly byArn = new Map<string, ResourceRecord>();
  private seq = 0;
  private readonly file: string | null;
  /** Bumped on every change, so derived caches know when to recompute. */
  version = 0;

  constructor(dataDir: string | null) {
    this.file = dataDir ? join(dataDir, 'state.json') : null;
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    if (this.file && existsSync(this.file)) this.load(this.file);
  }

  private load(file: string): void {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { format: number; seq: number; resources: ResourceRecord[] };
    if (doc.format !== FORMAT) throw new Error(`${file} has state format ${doc.format}; this version reads format ${FORMAT}.`);
    this.seq = doc.seq;
    for (const r of doc.resources) this.byArn.set(r.arn, r);
  }

  /** Write the index; called after every change so an acknowledged call survives a kill. */
  save(): void {
    this.version++;
    if (!this.file) return;
    const resources = [...this.byArn.values()].sort((a, b) => a.seq - b.seq);
    writeFileAtomic(this.file, JSON.stringify({ format: FORMAT, seq: this.seq, resources }));
  }

  insert(rec: Omit<ResourceRecord, 'seq'>): ResourceRecord {
    if (this.byArn.has(rec.arn)) {
      throw new ResourceAlreadyExistsException(`A ${LABEL[rec.kind]} named "${rec.name}" already exists (${rec.arn}). Choose another name or delete it first.`);
    }
    const full: ResourceRecord = { ...rec, seq: ++this.seq };
    this.byArn.set(full.arn, full);
    this.save();
    return full;
  }

  /** Change a record in place and persist it. */
  update(rec: ResourceRecord, change: Partial<ResourceRecord>, now: number): ResourceRecord {
    Object.assign(rec, change, { updatedAt: now });
    this.save();
    return rec;
  }

  remove(arn: string): void {
    if (this.byArn.delete(arn)) this.save();
  }

  /** The resource, if the current call's region may see it (store/region.ts). */
  find(arn: string): ResourceRecord | undefined {
    const r = this.byArn.get(arn);
    return r && visible(arn) ? r : undefined;
  }

  get(kind: ResourceKind, arn: string): ResourceRecord {
    const r = this.byArn.get(arn);
    if (!r || r.kind !== kind || !visible(arn)) throw new ResourceNotFoundException(`Could not find the ${LABEL[kind]} ${arn}. Check the ARN (and the region your client is configured for), or list them with List*.`);
    return r;
  }

  /** Resources of `kind` (and of `parentArn`) in the current call's region, oldest first. */
  list(kind: ResourceKind, parentArn?: string): ResourceRecord[] {
    const out: ResourceRecord[] = [];
    for (const r of this.byArn.values()) if (r.kind === kind && (parentArn === undefined || r.parentArn === parentArn) && visible(r.arn)) out.push(r);
    return out.sort((a, b) => a.seq - b.seq);
  }

  /** Every resource of every region. */
  all(): IterableIterator<ResourceRecord> {
    return this.byArn.values();
  }

  /** The regions that have resources. */
  regions(): string[] {
    const set = new Set<string>();
    for (const arn of this.byArn.keys()) set.add(arnRegion(arn));
    return [...set].sort();
  }

  clear(): void {
    this.byArn.clear();
    this.seq = 0;
    this.save();
  }
}
