// --split: Personalize's split (default), or a global time split at an ISO date or N days before the newest interaction.
import { InvalidInputException } from '../engine/errors.js';
import type { TrainingData } from '../recipes/types.js';
import type { SplitSpec } from './job.js';

export interface ParsedSplit { spec: SplitSpec; label: string }

const DAY = 86_400;
const iso = (s: number) => new Date(s * 1000).toISOString();

/** Parse --split against the data (a time cut must leave interactions on both sides). */
export function parseSplit(text: string | undefined, data: TrainingData): ParsedSplit {
  if (text === undefined || text === 'personalize') return { spec: { kind: 'personalize' }, label: 'personalize' };
  let cut: number;
  const last = /^last:(\d+(?:\.\d+)?)d$/.exec(text);
  if (text.startsWith('time:')) {
    const ms = Date.parse(text.slice(5));
    if (!/^\d{4}-\d{2}-\d{2}/.test(text.slice(5)) || Number.isNaN(ms)) {
      throw new InvalidInputException(`--split ${text}: the date must be ISO 8601, e.g. time:2018-06-01 or time:2018-06-01T12:00:00Z.`);
    }
    cut = ms / 1000;
  } else if (last) {
    cut = data.maxTimestamp - Number(last[1]) * DAY;
  } else {
    throw new InvalidInputException(`--split ${text} is not a split; use personalize, time:<ISO date> (e.g. time:2018-06-01) or last:<N>d (e.g. last:30d).`);
  }
  let min = Infinity, max = -Infinity, after = 0, before = 0;
  for (const t of data.timestamps) {
    if (t < min) min = t;
    if (t > max) max = t;
    if (t >= cut) after++; else before++;
  }
  const label = `${text} (${iso(cut)})`;
  if (after === 0) throw new InvalidInputException(`--split ${text}: no interaction is at or after ${iso(cut)}; the data ends at ${iso(max)}. Pick an earlier cut.`);
  if (before === 0) throw new InvalidInputException(`--split ${text}: no interaction is before ${iso(cut)}; the data starts at ${iso(min)}. Pick a later cut.`);
  return { spec: { kind: 'time', cut }, label };
}
