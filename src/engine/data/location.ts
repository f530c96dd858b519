// Where a dataLocation points on this machine: a plain path, file://, or s3://bucket/key under the
// buckets directory (never outside it). A trailing '/' means every .csv file in that folder.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidInputException } from '../errors.js';

export interface ResolvedLocation { files: { path: string; displayName: string }[] }

/** The local path of a location; throws InvalidInputException for a malformed one. */
export function localPath(location: string, bucketsDir: string): string {
  if (location.startsWith('s3://')) {
    const rest = location.slice(5);
    const slash = rest.indexOf('/');
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    if (!bucket) throw new InvalidInputException(`${location} has no bucket name; use s3://bucket/key.`);
    const root = resolve(bucketsDir);
    const p = resolve(root, bucket, slash < 0 ? '' : rest.slice(slash + 1));
    if (p !== root && !p.startsWith(root + sep)) {
      throw new InvalidInputException(`${location} points outside the buckets directory ${root}.`);
    }
    return location.endsWith('/') ? p + sep : p;
  }
  if (location.startsWith('file://')) {
    try {
      return fileURLToPath(location) + (location.endsWith('/') ? sep : '');
    } catch (e) {
      throw new InvalidInputException(`${location} is not a valid file:// URL (${(e as Error).message}).`);
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    throw new InvalidInputException(`${location}: only s3:// (resolved under the buckets directory), file:// and plain paths are supported locally.`);
  }
  return resolve(location) + (location.endsWith('/') ? sep : '');
}

/** The CSV files a location names. Missing files are a job failure (as in Personalize), not an input error. */
export function resolveCsvFiles(location: string, bucketsDir: string): ResolvedLocation {
  const p = localPath(location, bucketsDir);
  if (p.endsWith(sep)) {
    if (!existsSync(p) || !statSync(p).isDirectory()) throw new Error(`Invalid Data location. The folder ${location} (${p}) does not exist.`);
    const names = readdirSync(p).filter((n) => n.toLowerCase().endsWith('.csv')).sort();
    if (!names.length) throw new Error(`Invalid Data location. The folder ${location} (${p}) has no .csv files.`);
    return { files: names.map((n) => ({ path: join(p, n), displayName: location + n })) };
  }
  if (!existsSync(p) || !statSync(p).isFile()) {
    throw new Error(`Invalid Data location. ${location} (${p}) is not a file. End the location with '/' to import every CSV in a folder.`);
  }
  return { files: [{ path: p, displayName: location }] };
}
