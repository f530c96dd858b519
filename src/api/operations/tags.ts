// TagResource / UntagResource / ListTagsForResource on every taggable resource.
import type { Engine } from '../../engine/core/engine.js';
import { InvalidInputException, ResourceNotFoundException } from '../../engine/errors.js';
import { mergeTags, removeTagKeys } from '../../engine/store/tags.js';
import type { ResourceRecord, Tag } from '../../engine/store/types.js';
import type { PersonalizeApi } from '../api.js';

type In = Record<string, any>;

function taggable(e: Engine, arn: string): ResourceRecord {
  const rec = e.store.find(arn);
  if (!rec) throw new ResourceNotFoundException(`Could not find a resource with ARN ${arn}.`);
  if (rec.kind === 'schema' || rec.kind === 'metricAttribution') {
    throw new InvalidInputException(`${arn} cannot be tagged: Personalize does not tag schemas or metric attributions.`);
  }
  return rec;
}

export function registerTagOperations(api: PersonalizeApi, e: Engine): void {
  api.register('TagResource', (i: In) => {
    const rec = taggable(e, i.resourceArn);
    e.update(rec, { tags: mergeTags(rec.tags, i.tags as Tag[]) });
    return {};
  });
  api.register('UntagResource', (i: In) => {
    const rec = taggable(e, i.resourceArn);
    e.update(rec, { tags: removeTagKeys(rec.tags, i.tagKeys as string[]) });
    return {};
  });
  api.register('ListTagsForResource', (i: In) => ({ tags: taggable(e, i.resourceArn).tags }));
}
