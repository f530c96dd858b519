// The per-line answer of a batch job, rebuilt from its plain AnswerSpec: the one place the inline and the
// worker path get their per-line code.
import type { Engine } from '../core/engine.js';
import type { AnswerSpec, LineAnswer } from './answer-spec.js';
import { inferenceAnswer } from './inference-answer.js';
import { segmentAnswer } from './segment-answer.js';

export type { AnswerSpec, LineAnswer } from './answer-spec.js';

export function jobAnswer(e: Engine, spec: AnswerSpec): LineAnswer {
  return spec.kind === 'inference' ? inferenceAnswer(e, spec) : segmentAnswer(e, spec);
}
