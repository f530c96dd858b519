// Time for the whole engine comes from a Clock, so tests and harnesses can move it by hand.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to: `advance(ms)` and `set(date)`. */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: number | Date = Date.UTC(2024, 0, 1)) {
    this.t = typeof start === 'number' ? start : start.getTime();
  }
  now(): number { return this.t; }
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`clock.advance needs a non-negative number of milliseconds, got ${ms}`);
    this.t += ms;
  }
  set(date: number | Date): void {
    this.t = typeof date === 'number' ? date : date.getTime();
  }
}
