// How values read: times in UTC (the server's clock may be moved, so no "ago"), counts with separators,
// scores with enough digits to tell them apart, ARNs by their resource id.

export function time(epochSeconds: number | undefined): string {
  if (epochSeconds === undefined || !Number.isFinite(epochSeconds)) return '—';
  return new Date(epochSeconds * 1000).toISOString().replace('T', ' ').slice(0, 19);
}

export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 1) return `${(seconds * 1000).toFixed(0)} ms`;
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export function count(n: number | undefined): string {
  return n === undefined ? '—' : n.toLocaleString('en-US');
}

export function score(x: number | undefined, digits = 4): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  return Math.abs(x) >= 1000 ? x.toFixed(0) : Number(x.toPrecision(digits)).toString();
}

/** The resource id of an ARN (after its type), e.g. "shop/INTERACTIONS" of a dataset ARN. */
export function resourceId(arn: string): string {
  const i = arn.indexOf('/');
  return i < 0 ? arn : arn.slice(i + 1);
}

/** The recipe or use case name of a recipe ARN. */
export function recipeName(recipeArn: string | undefined): string {
  return recipeArn ? recipeArn.slice(recipeArn.lastIndexOf('/') + 1) : '—';
}

export function route(kind: string, arn: string, query?: Record<string, string | undefined>): string {
  const qs = query ? new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => Boolean(e[1]))).toString() : '';
  return `#/${kind}/${encodeURIComponent(arn)}${qs ? `?${qs}` : ''}`;
}

/**
 * Newest first by creationDateTime. List operations answer oldest first, so for equal times (a manual clock,
 * one busy second) the later-listed one counts as newer.
 */
export function newestFirst<T extends { creationDateTime?: number }>(list: T[]): T[] {
  return [...list].reverse().sort((a, b) => (b.creationDateTime ?? 0) - (a.creationDateTime ?? 0));
}
