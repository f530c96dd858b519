// vega-interpreter (an ES module) imports three helpers from vega-util; vega's browser build, loaded before the
// console, carries them on the global `vega`: the page's import map points 'vega-util' here.
const v = (globalThis as unknown as { vega: Record<string, unknown> }).vega;

export const ascending = v.ascending;
export const isString = v.isString;
export const DisallowedObjectProperties = v.DisallowedObjectProperties;
