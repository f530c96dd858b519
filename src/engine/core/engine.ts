// The engine's state and shared mechanics: resources, dataset rows, models, the training pool, seeded ids, and
// how work-doing resources move through their lifecycle. Operations live in engine/resources/, requests in
// engine/serving/, batch jobs in engine/batch/: they use the core and attach what they own to it (see attach()).
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Arns } from '../store/arn.js';
import { resolveOptions, type EngineOptions, type ResolvedOptions } from '../config.js';
import { DatasetStore } from '../data/dataset-store.js';
import type { ParsedSchema } from '../data/types.js';
import { parseSchema } from '../data/schema.js';
import { InvalidInputException, ResourceInUseException } from '../errors.js';
import { Rng, hashString } from '../../lib/random.js';
import { watchLoad } from '../../lib/cpu-load.js';
import { displayStatus } from '../store/lifecycle.js';
import { ResourceStore, kindLabel } from '../store/store.js';
import { inRegion, regionFolder } from '../region.js';
import { adoptUnqualifiedFiles } from '../store/region-files.js';
import type { ResourceKind, ResourceRecord, Tag } from '../store/types.js';
import { mergeTags } from '../store/tags.js';
import { ModelStore } from '../store/model-store.js';
import { TrainingPool } from '../training/pool.js';
import { LiveEvents } from '../data/live-events.js';
import { InteractionIndex } from '../data/interaction-index.js';

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9\-_]*$/;

/**
 * What a module above the core attaches to an engine (a worker pool, a scheduler): the core drives it without
 * knowing it. `tick` runs clock-driven work that is due and returns the clock time to look again (Infinity: not
 * before the resources change); `close` releases it when the engine closes.
 */
export interface Attachment {
  tick?(): Promise<number>;
  close?(): Promise<void>;
}

export class Engine {
  readonly opts: ResolvedOptions;
  readonly arns: Arns;
  readonly store: ResourceStore;
  readonly datasets: DatasetStore;
  readonly models: ModelStore;
  readonly pool: TrainingPool;
  readonly live = new LiveEvents();
  readonly interactions: InteractionIndex;
  /** Attached by the modules that own them, in attach order (which is the order ticks run in). */
  private readonly attachments = new Map<string, Attachment>();
  /** eventIds already recorded per dataset group (PutEvents de-duplication), persisted append-only. */
  private readonly seenEventIds = new Map<string, Set<string>>();
  private rng: Rng;
  private readonly schemaCache = new Map<string, ParsedSchema>();
  /** Work running in the background (background and realistic transitions), awaited by close(). */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(options: EngineOptions = {}) {
    this.opts = resolveOptions(options);
    if (this.opts.dataDir) mkdirSync(this.opts.dataDir, { recursive: true });
    this.arns = new Arns(this.opts.region, this.opts.accountId);
    this.store = new ResourceStore(this.opts.dataDir);
    if (this.opts.dataDir) adoptUnqualifiedFiles(this.opts.dataDir, this.store.all());
    this.datasets = new DatasetStore(this.opts.dataDir);
    this.models = new ModelStore(this.opts.dataDir, this.opts.servingWorker);
    this.pool = new TrainingPool(this.opts.trainingWorkers, this.opts.trainingThreads);
    this.interactions = new InteractionIndex(this.datasets);
    watchLoad(); // imports choose between one and two threads by how busy the cores were lately
    // Ids drawn after a restart must not repeat earlier ones: the stream depends on how much exists.
    this.rng = new Rng(hashString(String(this.store.list('solutionVersion').length + this.store.list('eventTracker').length), this.opts.seed));
    this.failInterruptedWork();
  }

  now(): number {
    return this.opts.clock.now();
  }

  /** Serve `fn` in `region` (default: the `region` option): its ARNs are made there and it sees only that region's resources. */
  inRegion<T>(region: string | undefined, fn: () => T): T {
    return inRegion(region ?? this.opts.region, fn);
  }

  /** A fresh id from the seeded stream (solution version ids, tracking ids, recommendation ids). */
  randomHex(chars: number): string {
    return this.rng.hex(chars);
  }
  randomUuid(): string {
    return this.rng.uuid();
  }

  status(rec: ResourceRecord): string | undefined {
    return displayStatus(rec, this.now(), this.opts.transitions);
  }

  checkName(member: string, name: unknown): string {
    if (typeof name !== 'string' || name.length < 1 || name.length > 63 || !NAME.test(name)) {
      throw new InvalidInputException(
        `${member} ${JSON.stringify(name)} is not valid: use 1-63 characters, letters, digits, '-' and '_', starting with a letter or digit.`,
      );
    }
    return name;
  }

  /** Insert a new resource. */
  create(kind: ResourceKind, arn: string, name: string, props: Record<string, unknown>, opts: { parentArn?: string; status?: string; tags?: Tag[] } = {}): ResourceRecord {
    const t = this.now();
    const tags = opts.tags ? mergeTags([], opts.tags) : [];
    return this.store.insert({ kind, arn, name, parentArn: opts.parentArn, createdAt: t, updatedAt: t, status: opts.status, props, tags });
  }

  update(rec: ResourceRecord, change: Partial<ResourceRecord>): ResourceRecord {
    return this.store.update(rec, change, this.now());
  }

  /** Throw ResourceInUseException unless the resource shows one of `statuses`. */
  requireStatus(rec: ResourceRecord, statuses: string[], doing: string): void {
    const s = this.status(rec);
    if (!s || !statuses.includes(s)) {
      throw new ResourceInUseException(`The ${kindLabel(rec.kind)} ${rec.arn} is ${s ?? 'not ready'}; it must be ${statuses.join(' or ')} to ${doing}.`);
    }
  }

  /**
   * Run the work of a work-doing resource: CREATE IN_PROGRESS, then ACTIVE (or `done`) or CREATE FAILED with
   * the error's message. Immediate transitions wait for it; background and realistic ones let it run on.
   */
  async runWork(rec: ResourceRecord, work: () => Promise<void>, opts: { done?: string; failed?: string; running?: string; after?: () => void } = {}): Promise<void> {
    const { done = 'ACTIVE', failed = 'CREATE FAILED', running = 'CREATE IN_PROGRESS' } = opts;
    const background = this.opts.transitions.mode !== 'immediate';
    const p = (async () => {
      this.update(rec, { status: running });
      try {
        // In the background the work starts after the Create call has answered: its synchronous first part
        // (building training data, parsing CSV) would otherwise hold the answer back.
        if (background) await new Promise<void>((resolve) => setImmediate(resolve));
        await work();
        if (this.store.find(rec.arn) && rec.status === running) {
          this.update(rec, { status: done });
          opts.after?.();
        }
      } catch (e) {
        if (this.store.find(rec.arn) && rec.status === running) {
          this.update(rec, { status: failed, failureReason: e instanceof Error ? e.message : String(e) });
        }
      }
      // A stop asked for while the work ran (StopSolutionVersionCreation) completes when the work ends.
      if (this.store.find(rec.arn) && rec.status === 'CREATE STOPPING') this.update(rec, { status: 'CREATE STOPPED' });
    })();
    if (!background) return p;
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** Work that was running when the process stopped cannot be resumed: say so instead of hanging forever. */
  private failInterruptedWork(): void {
    for (const r of this.store.all()) {
      if (['CREATE PENDING', 'CREATE IN_PROGRESS', 'CREATE STOPPING', 'PENDING', 'IN PROGRESS', 'IN_PROGRESS'].includes(r.status ?? '')) {
        this.store.update(r, { status: r.kind === 'dataDeletionJob' ? 'FAILED' : 'CREATE FAILED', failureReason: 'Interrupted: personalize-local stopped while this was running. Create it again.' }, this.now());
      }
    }
  }

  parsedSchema(schemaArn: string): ParsedSchema {
    let s = this.schemaCache.get(schemaArn);
    if (!s) {
      const rec = this.store.get('schema', schemaArn);
      s = parseSchema(rec.props.schema as string);
      this.schemaCache.set(schemaArn, s);
    }
    return s;
  }

  eventIds(groupArn: string): ReadonlySet<string> {
    let set = this.seenEventIds.get(groupArn);
    if (!set) {
      const f = this.eventIdFile(groupArn);
      set = new Set(f && existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean) : []);
      this.seenEventIds.set(groupArn, set);
    }
    return set;
  }

  recordEventIds(groupArn: string, ids: string[]): void {
    if (!ids.length) return;
    const set = this.eventIds(groupArn) as Set<string>;
    for (const id of ids) set.add(id);
    const f = this.eventIdFile(groupArn);
    if (f) {
      mkdirSync(dirname(f), { recursive: true });
      appendFileSync(f, ids.map((id) => id.replace(/\n/g, ' ') + '\n').join(''));
    }
  }

  private eventIdFile(groupArn: string): string | null {
    return this.opts.dataDir ? join(this.opts.dataDir, 'events', ...regionFolder(groupArn), `${groupArn.slice(groupArn.lastIndexOf('/') + 1)}.eventids`) : null;
  }

  private ticking: Promise<void> | null = null;
  /** When automatic training must be looked at again, and the store version that answer holds for. */
  private nextTick = { at: -Infinity, storeVersion: -1 };

  /** The attachment under `key`, made by `make` on first use. */
  attach<T extends Attachment>(key: string, make: () => T): T {
    let a = this.attachments.get(key);
    if (!a) {
      a = make();
      this.attachments.set(key, a);
      this.nextTick = { at: -Infinity, storeVersion: -1 }; // new work may be due at once
    }
    return a as T;
  }

  /** Clock-driven work that is due (automatic training, campaign updates). Cheap when nothing changed; concurrent callers share one run. */
  tick(): Promise<void> {
    if (this.ticking) return this.ticking;
    if (this.store.version === this.nextTick.storeVersion && this.now() < this.nextTick.at) return Promise.resolve();
    // Each region's due work runs in that region (its new versions get its ARNs), whichever call came in.
    this.ticking = (async () => {
      let at = Infinity;
      for (const region of this.store.regions()) {
        for (const a of this.attachments.values()) if (a.tick) at = Math.min(at, await inRegion(region, () => a.tick!()));
      }
      this.nextTick = { at, storeVersion: this.store.version };
    })().finally(() => { this.ticking = null; });
    return this.ticking;
  }

  /** Wait for background work (background and realistic transitions) to settle. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  async reset(): Promise<void> {
    await this.idle();
    this.store.clear();
    this.datasets.clear();
    this.models.clear();
    this.schemaCache.clear();
    this.live.clear();
    this.interactions.clear();
    this.seenEventIds.clear();
    if (this.opts.dataDir) rmSync(join(this.opts.dataDir, 'events'), { recursive: true, force: true });
  }

  async close(): Promise<void> {
    await this.idle();
    this.store.save();
    await this.pool.close();
    for (const a of this.attachments.values()) await a.close?.();
  }
}
