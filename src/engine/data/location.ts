// The one resolver of every data location a job reads or writes (imports, exports, batch inputs and
// outputs, data deletion lists): a plain path, file://, or s3://bucket/key under the buckets directory.
// Order matters: percent-decode, then normalize, then resolve symbolic links of what exists, and only
// then decide whether it is inside its root. A trailing '/' means a folder.
import { constants, createWriteStream, lstatSync, mkdirSync, openSync, readdirSync, realpathSync, statSync, type WriteStream } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidInputException } from '../errors.js';
import { writeFileAtomic } from '../store/atomic.js';

export interface ResolvedLocation { files: { path: string; displayName: string }[] }

/** A location as this machine sees it. */
export interface LocalLocation {
  /** As the caller wrote it (for messages). */
  location: string;
  /** Absolute and normalized; symbolic links not resolved yet. */
  path: string;
  /** Ends in '/': a folder. */
  folder: boolean;
  /**
   * The real directory everything it names must stay inside once links are followed: the buckets
   * directory for s3:// and for plain paths into it; null for a plain path elsewhere (the caller's own files).
   */
  confine: string | null;
}

const inside = (p: string, root: string) => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * The real path of `p`: the deepest part of it that exists with its links resolved, plus the rest as
 * written. A link whose target is missing is an error: nothing may be created through it.
 */
function realPathOf(p: string): string {
  const rest: string[] = [];
  let cur = p;
  for (;;) {
    let exists = true;
    try { lstatSync(cur); } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
      exists = false;
    }
    if (exists) {
      try {
        return rest.length ? join(realpathSync.native(cur), ...rest.reverse()) : realpathSync.native(cur);
      } catch {
        throw new InvalidInputException(`${cur} is a symbolic link to something that does not exist; nothing is read or written through it.`);
      }
    }
    const up = dirname(cur);
    if (up === cur) return p;
    rest.push(basename(cur));
    cur = up;
  }
}

function refuseNul(location: string, value: string): void {
  if (value.includes('\0')) throw new InvalidInputException(`${JSON.stringify(location)} contains a NUL character, which no file name can hold.`);
}

function decode(location: string, part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new InvalidInputException(`${location} is not valid percent-encoding (a '%' must be followed by two hex digits; write '%25' for '%').`);
  }
}

/** Parse and normalize a location; InvalidInputException when it is malformed or leaves its root on paper. */
export function parseLocation(location: string, bucketsDir: string): LocalLocation {
  refuseNul(location, location);
  const root = realPathOf(resolve(bucketsDir));
  if (location.startsWith('s3://')) {
    const rest = location.slice(5);
    const slash = rest.indexOf('/');
    const bucket = decode(location, slash < 0 ? rest : rest.slice(0, slash));
    const key = decode(location, slash < 0 ? '' : rest.slice(slash + 1));
    refuseNul(location, bucket + key);
    if (!bucket) throw new InvalidInputException(`${location} has no bucket name; use s3://bucket/key.`);
    if (bucket === '.' || bucket === '..' || bucket.includes('/') || bucket.includes(sep)) {
      throw new InvalidInputException(`${location}: ${JSON.stringify(bucket)} is not a bucket name; use s3://bucket/key.`);
    }
    const bucketDir = join(root, bucket);
    const path = resolve(bucketDir, key);
    if (!inside(path, bucketDir)) {
      const where = inside(path, root) ? `its bucket ${bucket}` : `the buckets directory ${root}`;
      throw new InvalidInputException(`${location} points outside ${where} (its key, decoded, is ${JSON.stringify(key)}); keys may not climb out with '..'.`);
    }
    const folder = key === '' || key.endsWith('/');
    return { location, path: folder ? path + sep : path, folder, confine: root };
  }
  let path: string;
  if (location.startsWith('file://')) {
    try {
      path = fileURLToPath(location); // decodes and normalizes
    } catch (e) {
      throw new InvalidInputException(`${location} is not a valid file:// URL (${(e as Error).message}).`);
    }
    refuseNul(location, path);
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    throw new InvalidInputException(`${location}: only s3:// (resolved under the buckets directory), file:// and plain paths are supported locally.`);
  } else {
    path = location;
  }
  const folder = location.endsWith('/');
  path = resolve(path);
  // A plain path may name any file of the caller's; one that goes through the buckets directory is held to it.
  const confine = inside(path, resolve(bucketsDir)) || inside(path, root) ? root : null;
  return { location, path: folder ? path + sep : path, folder, confine };
}

/** Follow the links of what exists of `loc` now; InvalidInputException when that leaves its root. Returns the real path. */
export function checkLocation(loc: LocalLocation): string {
  const real = realPathOf(loc.folder ? loc.path.slice(0, -1) : loc.path);
  if (loc.confine && !inside(real, loc.confine)) {
    throw new InvalidInputException(`${loc.location} leads outside the buckets directory ${loc.confine} through a symbolic link (to ${real}); links are followed only inside it.`);
  }
  return real;
}

/** A location of a Create call, checked as far as it can be now (what does not exist yet is checked by the job). */
export function checkedLocation(location: string, bucketsDir: string): LocalLocation {
  const loc = parseLocation(location, bucketsDir);
  checkLocation(loc);
  return loc;
}

/**
 * The files a location names, as real paths, each checked against the root (a link in a folder may
 * not lead out either). A folder gives its files whose names pass `pick`, sorted by name. Missing
 * files are a job failure (as in Personalize), not an input error.
 */
export function readableFiles(loc: LocalLocation, pick: (name: string) => boolean, what: string): ResolvedLocation {
  const real = checkLocation(loc);
  const missing = () => new Error(`Invalid Data location. ${loc.location} (${loc.path}) does not exist.`);
  if (loc.folder) {
    let isDir = false;
    try { isDir = statSync(real).isDirectory(); } catch { throw missing(); }
    if (!isDir) throw new Error(`Invalid Data location. ${loc.location} (${loc.path}) is not a folder.`);
    const files: ResolvedLocation['files'] = [];
    for (const n of readdirSync(real).filter(pick).sort()) {
      const f = realPathOf(join(real, n));
      if (loc.confine && !inside(f, loc.confine)) {
        throw new Error(`Invalid Data location. ${loc.location}${n} is a symbolic link out of the buckets directory (to ${f}); links are followed only inside it.`);
      }
      // Read by its name in the folder (output names follow input names), now that its target is known to be inside.
      if (statSync(f).isFile()) files.push({ path: join(real, n), displayName: loc.location + n });
    }
    if (!files.length) throw new Error(`Invalid Data location. The folder ${loc.location} (${loc.path}) has no ${what}.`);
    return { files };
  }
  let isFile = false;
  try { isFile = statSync(real).isFile(); } catch { throw missing(); }
  if (!isFile) throw new Error(`Invalid Data location. ${loc.location} (${loc.path}) is not a file. End the location with '/' to read every file in a folder.`);
  // Read by its own name (in its folder's real place), so output names follow the name the caller gave.
  return { files: [{ path: join(realPathOf(dirname(loc.path)), basename(loc.path)), displayName: loc.location }] };
}

/** The CSV files a location names (a folder: its .csv files). */
export function resolveCsvFiles(location: string, bucketsDir: string): ResolvedLocation {
  return readableFiles(parseLocation(location, bucketsDir), (n) => n.toLowerCase().endsWith('.csv'), '.csv files');
}

/** An output folder, created if needed, as a real path inside its root (checked before and after creating it). */
export function outputFolder(loc: LocalLocation): string {
  const dir = { ...loc, folder: false, path: loc.folder ? loc.path.slice(0, -1) : loc.path };
  checkLocation(dir);
  mkdirSync(dir.path, { recursive: true });
  return checkLocation(dir);
}

const NO_FOLLOW = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0);

function openNoFollow(path: string, flags: number): number {
  try {
    return openSync(path, flags, 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') throw new Error(`${path} is a symbolic link; outputs are never written through links.`);
    throw e;
  }
}

/** A stream writing `<dir>/<name>`; a symbolic link in that place is refused, not followed. */
export function outputStream(dir: string, name: string): WriteStream {
  const path = join(dir, name);
  return createWriteStream(path, { fd: openNoFollow(path, NO_FOLLOW) });
}

/** Write `<dir>/<name>` whole: a fresh temporary file (O_EXCL: never through a link), then renamed over the name. */
export function writeOutputFile(dir: string, name: string, data: string | Uint8Array): void {
  writeFileAtomic(join(dir, name), data); // the rename replaces a link at the name itself, never what it points to
}
