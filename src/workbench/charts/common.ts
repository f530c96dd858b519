// What every chart of the evaluation report shares: one colour per configuration (the same in every chart),
// fonts, sizes and the Vega config. Chart modules are plain functions of plain data -> Vega specs, so the
// browser console can render the same specs with vega's browser build.
import type { Config, Spec } from 'vega';

/** Tableau 10: distinct, colour-blind-aware hues; configurations beyond ten repeat them. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export const FONT = 'system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif';

export const CONFIG: Config = {
  text: { font: FONT },
  axis: { labelFont: FONT, titleFont: FONT, labelFontSize: 11, titleFontSize: 12, titleFontWeight: 600, gridColor: '#e6e6e6', domainColor: '#888', tickColor: '#888', labelColor: '#333', titleColor: '#222' },
  legend: { labelFont: FONT, titleFont: FONT, labelFontSize: 11, titleFontSize: 12, labelLimit: 0, symbolSize: 90 },
  title: { font: FONT, fontSize: 14, fontWeight: 600, anchor: 'start', color: '#222', offset: 10 },
};

/** The ordinal colour scale of configurations: `names` in report order. */
export function colorScale(names: string[]) {
  return { name: 'color', type: 'ordinal' as const, domain: names, range: names.map((_, i) => PALETTE[i % PALETTE.length]!) };
}

/** A legend of configurations by colour, placed beside the plot. */
export function colorLegend(title = 'configuration') {
  return { fill: 'color', title, orient: 'right' as const, symbolType: 'circle' };
}

export function base(title: string, width: number, height: number): Pick<Spec, '$schema' | 'width' | 'height' | 'padding' | 'autosize' | 'config' | 'title' | 'background'> {
  return {
    $schema: 'https://vega.github.io/schema/vega/v5.json',
    width, height, padding: 8, autosize: { type: 'pad' }, config: CONFIG, title: { text: title }, background: 'white',
  };
}
