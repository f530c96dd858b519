// The first lines of a batch job's output files (for the console), read only inside the buckets or the data
// directory and bounded in lines, bytes per line and bytes per file.
import { closeSync, existsSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { Engine } from '../core/engine.js';
import { parseLocation } from '../data/location.js';
import { InvalidInputException, ResourceNotFoundException } from '../errors.js';
import { cut, sampleSize } from './inspect-datasets.js';

export const MAX_FILES = 10;
const MAX_LINE = 4000;
const MAX_BYTES_PER_FILE = 256 * 1024;

export interface BatchOutputPreview {
  jobArn: string;
  outputPath: string;
  files: { name: string; bytes: number; lines: string[]; more: boolean }[];
  /** Why nothing is shown (no output yet, or outside the directories the console reads). */
  note?: string;
}

const inside = (p: string, root: string) => p === root || p.startsWith(root + sep);

export function batchOutputPreview(e: Engine, jobArn: string, limit?: number): BatchOutputPreview {
  const n = sampleSize(limit, 50);
  const job = e.store.find(jobArn);
  if (!job || (job.kind !== 'batchInferenceJob' && job.kind !== 'batchSegmentJob')) {
    throw new ResourceNotFoundException(`Could not find the batch inference or batch segment job ${jobArn}.`);
  }
  const outputPath = String((job.props.jobOutput as { s3DataDestination: { path: string } }).s3DataDestination.path);
  const out: BatchOutputPreview = { jobArn, outputPath, files: [] };
  let dir: string;
  try {
    const loc = parseLocation(outputPath, e.opts.bucketsDir);
    dir = loc.folder ? loc.path.slice(0, -1) : loc.path;
  } catch (err) {
    throw new InvalidInputException(`The job's output location cannot be read: ${(err as Error).message}`);
  }
  if (!existsSync(dir)) return { ...out, note: 'No output yet: the output folder does not exist.' };
  // Links are followed before the check, so a link inside the buckets cannot lead the console elsewhere.
  const real = realpathSync(dir);
  const roots = [e.opts.bucketsDir, e.opts.dataDir].filter((r): r is string => r !== null).map((r) => resolve(r)).filter(existsSync).map((r) => realpathSync(r));
  if (!roots.some((r) => inside(real, r))) {
    return { ...out, note: `The output folder ${dir} is outside the buckets and data directories; the console reads only there.` };
  }
  if (!statSync(real).isDirectory()) return { ...out, note: 'The output location is not a folder.' };
  const names = readdirSync(real).filter((f) => f.endsWith('.out')).sort();
  for (const name of names.slice(0, MAX_FILES)) {
    const file = join(real, name);
    const st = statSync(file);
    if (!st.isFile()) continue;
    const { lines, more } = headLines(file, n, st.size);
    out.files.push({ name, bytes: st.size, lines, more });
  }
  if (!names.length) out.note = 'The output folder has no .out files yet.';
  else if (names.length > MAX_FILES) out.note = `${names.length} output files; the first ${MAX_FILES} are shown.`;
  return out;
}

/** The first n lines of a file, read from at most its first MAX_BYTES_PER_FILE bytes. */
function headLines(file: string, n: number, size: number): { lines: string[]; more: boolean } {
  const buf = Buffer.alloc(Math.min(size, MAX_BYTES_PER_FILE));
  const fd = openSync(file, 'r');
  let got = 0;
  try {
    while (got < buf.length) {
      const k = readSync(fd, buf, got, buf.length - got, got);
      if (k === 0) break;
      got += k;
    }
  } finally {
    closeSync(fd);
  }
  const all = buf.subarray(0, got).toString('utf8').split('\n');
  // The last piece is cut mid-line when the file is longer than what was read: not shown as a line.
  const whole = got < size ? all.slice(0, -1) : all.filter((l, i) => i < all.length - 1 || l !== '');
  const lines = whole.slice(0, n).map((l) => cut(l, MAX_LINE));
  return { lines, more: whole.length > n || got < size };
}
