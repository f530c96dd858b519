// Objects used as maps from a caller's strings: only own properties count, and `__proto__` is a key like
// any other (so a user id or column named `constructor` or `__proto__` is data, never the object's internals).

/** `obj[key]` if `obj` has it as its own property. */
export function ownValue<T>(obj: Readonly<Record<string, T>> | undefined | null, key: string): T | undefined {
  return obj && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** `obj[key] = value` as an own data property, also for `__proto__`. */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
