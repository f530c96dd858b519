// What batch inference and batch segment jobs share: a job's input files (one file, or every file of a
// folder) and streaming JSON lines into `<dest>/<input file name>.out`, one answer or error per line.
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { outputStream, readableFiles, type LocalLocation } from '../data/location.js';
import type { Tag } from '../store/types.js';

/** What both batch jobs (inference and segments) take. */
export interface BatchJobInput {
  jobName: string;
  solutionVersionArn: string;
  jobInput: { s3DataSource: { path: string } };
  jobOutput: { s3DataDestination: { path: string } };
  roleArn: string;
  filterArn?: string;
  numResults?: number;
  tags?: Tag[];
}

/** A folder location gives all its files (not dot files), sorted by name; links may not lead out of the buckets. */
export function inputFiles(loc: LocalLocation): string[] {
  return readableFiles(loc, (n) => !n.startsWith('.'), 'input files').files.map((f) => f.path);
}

const lines = (file: string) => createInterface({ input: createReadStream(file), crlfDelay: Infinity });

/** Non-blank lines of a file (the queries it holds), streamed so a large file is not held in memory. */
export async function countLines(file: string, upTo = Infinity): Promise<number> {
  let n = 0;
  const input = createReadStream(file);
  try {
    for await (const raw of createInterface({ input, crlfDelay: Infinity })) if (raw.trim() && ++n >= upTo) break;
  } finally {
    input.destroy(); // stopping early leaves the stream open otherwise
  }
  return n;
}

/** Whether `files` hold at least `min` non-blank lines together; reads no further than that. */
export async function hasLines(files: string[], min: number): Promise<boolean> {
  if (min <= 0) return true;
  let n = 0;
  for (const f of files) if ((n += await countLines(f, min - n)) >= min) return true;
  return n >= min;
}

/**
 * One input line's output line (without the newline): `{input, output, error: null}`, or `{input, error}`
 * when the line is not a JSON object or `answer` throws. Inline and worker paths both write through it.
 */
export function answerLine(raw: string, answer: (line: Record<string, unknown>) => Record<string, unknown>): string {
  let parsed: unknown = raw;
  try {
    parsed = JSON.parse(raw);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('The line is not a JSON object.');
    return JSON.stringify({ input: parsed, output: answer(parsed as Record<string, unknown>), error: null });
  } catch (err) {
    return JSON.stringify({ input: parsed, error: (err as Error).message });
  }
}

/** Answer every non-blank line of `file` into `<outDir>/<file name>.out` on this thread (the job goes on past bad lines). */
export async function answerLines(file: string, outDir: string, answer: (line: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
  const out = outputStream(outDir, `${basename(file)}.out`);
  for await (const raw of lines(file)) {
    if (!raw.trim()) continue;
    if (!out.write(answerLine(raw, answer) + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}
