// The AWS region a call is served in. Every request runs in one (its SigV4 credential scope, else the
// engine's `region` option); ARNs are made in it and lookups see only its resources, as on AWS where
// each region is a separate service. Outside any request (startup, worker threads) everything is seen.
import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<string>();

/** Run `fn` (and all work it starts, awaited or not) in `region`. */
export function inRegion<T>(region: string, fn: () => T): T {
  return scope.run(region, fn);
}

/** The region of the call being served; undefined outside any call. */
export function currentRegion(): string | undefined {
  return scope.getStore();
}

/** The region field of an ARN (`arn:aws:personalize:<region>:...`). */
export function arnRegion(arn: string): string {
  const a = arn.indexOf(':', arn.indexOf(':', arn.indexOf(':') + 1) + 1);
  const b = arn.indexOf(':', a + 1);
  return a < 0 || b < 0 ? '' : arn.slice(a + 1, b);
}

/** Whether the current call may see the resource `arn`. */
export function visible(arn: string): boolean {
  const r = scope.getStore();
  return r === undefined || arnRegion(arn) === r;
}

/**
 * The folder a resource's files go in under their kind's folder of the state directory: none for
 * us-east-1 (the layout of state directories made before regions), `@<region>` for the others, so
 * resources of the same name in two regions never share a file.
 */
export function regionFolder(arn: string): string[] {
  const region = arnRegion(arn);
  return region === 'us-east-1' || region === '' ? [] : [`@${region}`];
}

/** What a region name may be here: lowercase letters, digits and '-' (us-east-1, eu-west-1, us-gov-west-1; also `local`). */
export const REGION_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
