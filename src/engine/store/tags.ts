// Personalize's tag rules: at most 50 tags per resource, keys unique, `aws:` reserved.
import { InvalidInputException, TooManyTagKeysException, TooManyTagsException } from '../errors.js';
import type { Tag } from './types.js';

export const MAX_TAGS = 50;

/** Merge `add` into `current` (same key replaces), checking Personalize's limits. */
export function mergeTags(current: Tag[], add: Tag[]): Tag[] {
  const out = new Map(current.map((t) => [t.tagKey, t.tagValue]));
  for (const t of add) {
    if (t.tagKey.toLowerCase().startsWith('aws:')) {
      throw new InvalidInputException(`Tag key "${t.tagKey}" uses the reserved prefix aws:; choose another key.`);
    }
    out.set(t.tagKey, t.tagValue);
  }
  if (out.size > MAX_TAGS) {
    throw new TooManyTagsException(`A resource can have at most ${MAX_TAGS} tags; this would make ${out.size}. Remove some with UntagResource first.`);
  }
  return [...out].map(([tagKey, tagValue]) => ({ tagKey, tagValue }));
}

export function removeTagKeys(current: Tag[], keys: string[]): Tag[] {
  if (keys.length > MAX_TAGS) throw new TooManyTagKeysException(`At most ${MAX_TAGS} tag keys can be removed at once (got ${keys.length}).`);
  const drop = new Set(keys);
  return current.filter((t) => !drop.has(t.tagKey));
}
