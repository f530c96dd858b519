// Pagination of every List operation: maxResults 1-100 (default 100), an opaque nextToken that names
// the last item returned, so pages stay stable when resources are added or removed between calls.
import { InvalidNextTokenException } from '../engine/errors.js';

export function paginate<T>(items: T[], key: (t: T) => string, maxResults: number | undefined, nextToken: string | undefined): { page: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken !== undefined) {
    let after: string;
    try {
      const doc = JSON.parse(Buffer.from(nextToken, 'base64url').toString('utf8')) as { after?: unknown };
      if (typeof doc.after !== 'string') throw new Error('no position');
      after = doc.after;
    } catch {
      throw new InvalidNextTokenException('The nextToken is not valid: pass the nextToken from the previous page of this same List call, unchanged.');
    }
    // Keys are in ascending order; resume after the last key returned, even if that item is gone.
    start = items.findIndex((t) => key(t) > after);
    if (start < 0) start = items.length;
  }
  const size = maxResults ?? 100;
  const page = items.slice(start, start + size);
  const more = start + size < items.length;
  return more ? { page, nextToken: Buffer.from(JSON.stringify({ after: key(page.at(-1)!) })).toString('base64url') } : { page };
}

/** A sort key that orders numbers correctly as strings. */
export const seqKey = (seq: number): string => seq.toString().padStart(12, '0');
