// What every view gets from the console: the server's health (clock), breadcrumbs, and a hook to refresh
// itself when the clock moves.
import type { Health } from '../api.js';

export interface ViewContext {
  health(): Health | undefined;
  /** Breadcrumbs: label and link (the last usually without one). */
  crumbs(list: [string, string?][]): void;
  /** What to run when the clock moves instead of rendering the view again (keeps a Try-it page's state). */
  onClock(refresh: () => void): void;
  refreshClock(): Promise<void>;
}

export type View = (arn: string, params: URLSearchParams, ctx: ViewContext) => Promise<Node>;
