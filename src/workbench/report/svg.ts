// Vega specs -> inline SVG at report time, in Node, with no canvas: the renderer-less View's toSVG().
// Without a canvas Vega estimates text as 0.8 em per character, which pushes labels apart; a per-glyph
// estimate of a sans-serif font places them as a browser will draw them. Vega is loaded on first use
// (a quarter of a second): evaluate() starts loading it while the jobs run.
import type * as Vega from 'vega';

const NARROW = new Set("il.,:;'|!`ijlI ");
const SEMI = new Set('fjrt()[]{}-/\\"*');
const WIDE = new Set('mwMW@%');

/** Width in em of a string in a Helvetica/Arial-like font, glyph class by glyph class. */
export function textWidthEm(text: string): number {
  let w = 0;
  for (const ch of text) {
    if (NARROW.has(ch)) w += 0.27;
    else if (SEMI.has(ch)) w += 0.34;
    else if (WIDE.has(ch)) w += 0.86;
    else if (ch >= 'A' && ch <= 'Z') w += 0.67;
    else w += 0.55;
  }
  return w;
}

type TextItem = { fontSize?: number; text?: unknown };
let loading: Promise<typeof Vega> | null = null;

/** Vega, with its text measure replaced by textWidthEm; the same promise on every call. */
export function loadVega(): Promise<typeof Vega> {
  return (loading ??= import('vega').then((vega) => {
    const metrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text?: unknown) => number } }).textMetrics;
    metrics.width = (item, text) => {
      const t = text ?? item.text;
      const lines = Array.isArray(t) ? t.map(String) : [t == null ? '' : String(t)];
      const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
      // 10% to spare: a label drawn a little wider than measured would be clipped at the chart's edge.
      return Math.max(0, ...lines.map((l) => 1.1 * textWidthEm(l.trim()) * size));
    };
    return vega;
  }));
}

/** Render a spec; Vega only logs errors (and still draws), so a logged error fails the rendering here. */
export async function toSvg(spec: Vega.Spec): Promise<string> {
  const vega = await loadVega();
  const errors: string[] = [];
  const logger = vega.logger(vega.Warn);
  logger.error = (...args: unknown[]) => { errors.push(args.map(String).join(' ')); return logger; };
  logger.warn = (...args: unknown[]) => { errors.push(args.map(String).join(' ')); return logger; };
  const view = new vega.View(vega.parse(spec), { renderer: 'none', logger });
  try {
    const svg = await view.toSVG();
    if (errors.length) throw new Error(`chart "${(spec.title as { text?: string })?.text ?? ''}" failed to render: ${errors[0]}`);
    return svg;
  } finally {
    view.finalize();
  }
}
