// Time for the whole engine comes from a Clock, so tests and harnesses can move it by hand.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Latest time a clock may show: the end of year 9999 (Dates and ISO strings go no further). */
export const MAX_CLOCK_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

/**
 * The system clock plus an offset that only grows (`advance(ms)`), so a running server can be moved
 * forward to see what time does (the 2-hourly updates, automatic training, exploration age cut-offs)
 * without a restart; it never goes back, so nothing already stamped ends up in the future.
 */
export class AdvanceableSystemClock implements Clock {
  private offset = 0;
  now(): number { return Date.now() + this.offset; }
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`clock.advance needs a non-negative number of milliseconds, got ${ms}`);
    if (this.now() + ms > MAX_CLOCK_MS) throw new RangeError('the clock cannot go past the year 9999');
    this.offset += ms;
  }
  /** How far ahead of the system clock it is, in milliseconds. */
  get offsetMs(): number { return this.offset; }
}

/** A clock that only moves when told to: `advance(ms)` and `set(date)`. */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: number | Date = Date.UTC(2024, 0, 1)) {
    this.t = typeof start === 'number' ? start : start.getTime();
  }
  now(): number { return this.t; }
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`clock.advance needs a non-negative number of milliseconds, got ${ms}`);
    if (this.t + ms > MAX_CLOCK_MS) throw new RangeError('the clock cannot go past the year 9999');
    this.t += ms;
  }
  set(date: number | Date): void {
    const t = typeof date === 'number' ? date : date.getTime();
    if (!Number.isFinite(t) || t < 0 || t > MAX_CLOCK_MS) throw new RangeError(`clock.set needs a time from 1970 to 9999, got ${String(date)}`);
    this.t = t;
  }
}
