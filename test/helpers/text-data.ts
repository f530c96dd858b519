// A generated catalogue whose item texts have planted topics: each description mixes its topic's words with
// words every description may use (and some markup), so only the topic words tell items apart. Users of a topic
// interact with its items; one new item per topic has a description and nothing else.
import { Rng } from '../../src/lib/random.js';

export const TOPICS: Record<string, string[]> = {
  garden: ['garden', 'lawn', 'mower', 'seeds', 'soil', 'hose', 'compost', 'shovel', 'flowers', 'hedge', 'trimmer', 'rake', 'planter', 'sprinkler', 'weeds'],
  kitchen: ['kitchen', 'skillet', 'knife', 'recipe', 'oven', 'spatula', 'pasta', 'stove', 'baking', 'whisk', 'blender', 'saucepan', 'cutlery', 'grater', 'kettle'],
  travel: ['travel', 'suitcase', 'luggage', 'passport', 'backpack', 'airport', 'hiking', 'tent', 'compass', 'map', 'trip', 'camping', 'duffel', 'adapter', 'pillow'],
  music: ['music', 'guitar', 'piano', 'drums', 'violin', 'amplifier', 'strings', 'keyboard', 'microphone', 'headphones', 'vinyl', 'tuner', 'pedal', 'chords', 'speaker'],
};
const FILLER = ['durable', 'classic', 'deluxe', 'compact', 'premium', 'everyday', 'lightweight', 'sturdy', 'modern', 'gift', 'quality', 'value'];

export interface TextItem { id: string; topic: string; title: string; description: string; price: number; created: number }

export const NEWEST = 1_700_000_000;
const DAY = 86_400;

export function topicCatalogue(o: { perTopic?: number; seed?: number } = {}): { items: TextItem[]; fresh: TextItem[] } {
  const rng = new Rng(o.seed ?? 5);
  const perTopic = o.perTopic ?? 30;
  const pick = (words: string[]) => words[rng.int(words.length)]!;
  const describe = (topic: string) => {
    const words: string[] = [];
    for (let k = 0; k < 10; k++) words.push(rng.next() < 0.6 ? pick(TOPICS[topic]!) : pick(FILLER));
    return `<p>The ${words.slice(0, 5).join(' ')} for a ${words.slice(5).join(' ')}</p>`;
  };
  const items: TextItem[] = [];
  const fresh: TextItem[] = [];
  for (const topic of Object.keys(TOPICS)) {
    for (let i = 0; i < perTopic; i++) {
      items.push({ id: `${topic}-${i}`, topic, title: `${pick(FILLER)} ${pick(TOPICS[topic]!)}`, description: describe(topic), price: 5 + rng.int(95), created: NEWEST - (10 + rng.int(400)) * DAY });
    }
    fresh.push({ id: `new-${topic}`, topic, title: `new ${pick(TOPICS[topic]!)}`, description: describe(topic), price: 20, created: NEWEST - DAY });
  }
  return { items, fresh };
}

export const TEXT_ITEMS_SCHEMA = JSON.stringify({
  type: 'record', name: 'Items', namespace: 'com.amazonaws.personalize.schema', version: '1.0',
  fields: [
    { name: 'ITEM_ID', type: 'string' },
    { name: 'TITLE', type: 'string', itemName: true },
    { name: 'DESCRIPTION', type: ['null', 'string'], textual: true },
    { name: 'PRICE', type: 'float' },
    { name: 'CREATION_TIMESTAMP', type: 'long' },
  ],
});

export function itemsCsv(items: TextItem[]): string {
  return ['ITEM_ID,TITLE,DESCRIPTION,PRICE,CREATION_TIMESTAMP', ...items.map((i) => `${i.id},${i.title},"${i.description}",${i.price},${i.created}`)].join('\n') + '\n';
}

/** Users of each topic interact with its (not new) items, Zipf-skewed; 40 users per topic, 12 interactions each. */
export function topicInteractionsCsv(items: TextItem[], seed = 9): string {
  const rng = new Rng(seed);
  const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  const topics = Object.keys(TOPICS);
  for (let u = 0; u < 40 * topics.length; u++) {
    const pool = items.filter((i) => i.topic === topics[u % topics.length]);
    for (let k = 0; k < 12; k++) {
      const r = Math.floor(pool.length * rng.next() ** 2);
      lines.push(`user-${u},${pool[r]!.id},${NEWEST - 5 * DAY + u * 100 + k},click`);
    }
  }
  return lines.join('\n') + '\n';
}
