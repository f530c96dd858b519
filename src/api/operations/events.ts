// Event trackers and the events API (PutEvents, PutItems, PutUsers).
import type { Engine } from '../../engine/core/engine.js';
import { createEventTracker, deleteEventTracker } from '../../engine/resources/event-trackers.js';
import { putActionInteractions, putActions, putEvents, putItems, putUsers } from '../../engine/resources/events.js';
import type { PersonalizeApi } from '../api.js';
import { registerDescribe, registerList } from './common.js';

type In = Record<string, any>;

export function registerEventOperations(api: PersonalizeApi, e: Engine): void {
  api.register('CreateEventTracker', (i: In) => createEventTracker(e, i as never));
  api.register('DeleteEventTracker', (i: In) => { deleteEventTracker(e, i.eventTrackerArn); return undefined; });
  registerDescribe(api, e, 'DescribeEventTracker', 'eventTracker', 'eventTracker');
  registerList(api, e, 'ListEventTrackers', 'eventTracker', 'eventTrackers', { member: 'datasetGroupArn', kind: 'datasetGroup' });

  api.register('PutEvents', (i: In) => { putEvents(e, i as never); return undefined; });
  api.register('PutItems', (i: In) => { putItems(e, i as never); return undefined; });
  api.register('PutUsers', (i: In) => { putUsers(e, i as never); return undefined; });
  api.register('PutActions', (i: In) => { putActions(e, i as never); return undefined; });
  api.register('PutActionInteractions', (i: In) => { putActionInteractions(e, i as never); return undefined; });
}
