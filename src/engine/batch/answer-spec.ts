// What a batch job answers per line, as plain data so a worker thread can rebuild the same answer function
// from it (answer.ts), and the shape of that function.

/** The per-line answer of a job: input line -> output object; throws for the line's own error. */
export type LineAnswer = (line: Record<string, unknown>) => Record<string, unknown>;

export type AnswerSpec =
  | {
    kind: 'inference';
    /** The job's ARN: part of each line's seed, so answers depend on the line and the job, not on order. */
    jobArn: string;
    solutionVersionArn: string;
    filterArn?: string;
    numResults: number;
    config?: { itemExplorationConfig?: Record<string, string>; rankingInfluence?: Record<string, number> };
  }
  | { kind: 'segment'; solutionVersionArn: string; recipeName: string; queryKey: 'itemId' | 'itemAttributes'; filterArn?: string; numResults: number };
