// Trained models by solution version ARN: bytes written once to models/, decoded and loaded on first use.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RECIPES } from '../../recipes/index.js';
import type { Model, Recipe } from '../../recipes/types.js';
import { writeFileAtomicAsync } from './atomic.js';
import { regionFolder } from '../region.js';
import { decodeBundle, type ModelBundle } from '../training/bundle.js';

/** A model ready to serve: the recipe's scorer plus the engine's serving arrays and id lookups. */
export interface ServingModel {
  recipe: Recipe;
  model: Model;
  bundle: ModelBundle;
  itemIndex: Map<string, number>;
  userIndex: Map<string, number>;
}

/** The recipe's scorer over a decoded bundle; `indexes` false leaves the id lookups empty (a worker ranks by index). */
export function servingModel(versionArn: string, bundle: ModelBundle, indexes = true): ServingModel {
  const recipe = RECIPES.get(`arn:aws:personalize:::recipe/${bundle.artifact.recipe}`);
  if (!recipe) throw new Error(`model of ${versionArn} was trained by ${bundle.artifact.recipe}, which this version cannot load`);
  return {
    recipe,
    model: recipe.load(bundle.artifact, bundle.itemIds.length),
    bundle,
    itemIndex: new Map(indexes ? bundle.itemIds.map((s, i) => [s, i]) : []),
    userIndex: new Map(indexes ? bundle.userIds.map((s, i) => [s, i]) : []),
  };
}

export class ModelStore {
  private readonly bytes = new Map<string, Uint8Array>(); // in-memory mode only
  private readonly loaded = new Map<string, ServingModel>();

  /** sharedMemory: models load into SharedArrayBuffers, so serving workers view them instead of copying (servingWorker). */
  constructor(private readonly dataDir: string | null, private readonly sharedMemory = false) {}

  private file(modelArn: string): string {
    // ...:solution/<name>/<id> -> models/[@<region>/]solution/<name>/<id>.model (recommenders: .../recommender/...)
    const tail = modelArn.split(':').slice(5).join(':');
    return join(this.dataDir!, 'models', ...regionFolder(modelArn), ...tail.split('/')) + '.model';
  }

  /** Stores a trained model; on disk the file is written off the calling thread, so requests go on being served. */
  async save(versionArn: string, bytes: Uint8Array): Promise<void> {
    if (this.dataDir) await writeFileAtomicAsync(this.file(versionArn), bytes);
    else this.bytes.set(versionArn, bytes);
  }

  /** An in-memory engine's model from elsewhere (a batch job's snapshot): kept as it is, at once. */
  adopt(versionArn: string, bytes: Uint8Array): void {
    if (this.dataDir) throw new Error('adopt() is for in-memory model stores');
    this.bytes.set(versionArn, bytes);
  }

  has(versionArn: string): boolean {
    return this.dataDir ? existsSync(this.file(versionArn)) : this.bytes.has(versionArn);
  }

  /** The stored bytes of a model (to derive an UPDATE from it). */
  bytesOf(modelArn: string): Uint8Array {
    const bytes = this.dataDir ? readFileSync(this.file(modelArn)) : this.bytes.get(modelArn);
    if (!bytes) throw new Error(`model of ${modelArn} is missing`);
    return bytes;
  }

  load(versionArn: string): ServingModel {
    let m = this.loaded.get(versionArn);
    if (m) return m;
    const bytes = this.dataDir ? readFileSync(this.file(versionArn)) : this.bytes.get(versionArn);
    if (!bytes) throw new Error(`model of ${versionArn} is missing`);
    m = servingModel(versionArn, decodeBundle(bytes, this.sharedMemory));
    this.loaded.set(versionArn, m);
    return m;
  }

  drop(versionArn: string): void {
    this.loaded.delete(versionArn);
    this.bytes.delete(versionArn);
    if (this.dataDir) rmSync(this.file(versionArn), { force: true });
  }

  clear(): void {
    this.loaded.clear();
    this.bytes.clear();
    if (this.dataDir) rmSync(join(this.dataDir, 'models'), { recursive: true, force: true });
  }
}
