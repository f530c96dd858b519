// GetSolutionMetrics as a chart: one row per metric, one bar per solution version, drawn by vega's browser
// build with its CSP-safe expression interpreter (the page allows no eval). Colours and fonts follow the
// evaluation report's charts (src/workbench/charts/common.ts; a test keeps the two the same).
import type { Spec, View } from 'vega';
import { expressionInterpreter } from 'vega-interpreter';

declare const vega: typeof import('vega');

/** Tableau 10, as in the evaluation report: versions beyond ten repeat colours. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const FONT = 'system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif';

export interface MetricBar { metric: string; version: string; value: number }

/** The spec: plain data in, a Vega spec out. `width` is the plot's width in pixels. */
export function metricsSpec(bars: MetricBar[], metrics: string[], versions: string[], width: number): Spec {
  const barHeight = 12;
  return {
    $schema: 'https://vega.github.io/schema/vega/v5.json',
    width, height: metrics.length * (versions.length * barHeight + 10), padding: 8, autosize: { type: 'pad' }, background: 'white',
    config: {
      text: { font: FONT },
      axis: { labelFont: FONT, titleFont: FONT, labelFontSize: 11, titleFontSize: 12, titleFontWeight: 600, gridColor: '#e6e6e6', domainColor: '#888', tickColor: '#888', labelColor: '#333', titleColor: '#222', labelLimit: 260 },
      legend: { labelFont: FONT, titleFont: FONT, labelFontSize: 11, titleFontSize: 12, labelLimit: 0, symbolSize: 90 },
    },
    data: [{ name: 'bars', values: bars }],
    scales: [
      { name: 'y', type: 'band', domain: metrics, range: 'height', paddingInner: 0.25, paddingOuter: 0.1 },
      { name: 'x', type: 'linear', domain: { data: 'bars', field: 'value' }, domainMin: 0, range: 'width', nice: true, zero: true },
      { name: 'color', type: 'ordinal', domain: versions, range: versions.map((_, i) => PALETTE[i % PALETTE.length]!) },
    ],
    axes: [
      { orient: 'bottom', scale: 'x', grid: true, title: 'value (0 to 1)', format: '.2f', tickCount: 5 },
      { orient: 'left', scale: 'y' },
    ],
    legends: versions.length > 1 ? [{ fill: 'color', title: 'solution version', orient: 'bottom', direction: 'horizontal', symbolType: 'square' }] : [],
    marks: [{
      type: 'group',
      from: { facet: { name: 'ofMetric', data: 'bars', groupby: 'metric' } },
      encode: { enter: { y: { scale: 'y', field: 'metric' }, height: { scale: 'y', band: 1 } } },
      signals: [{ name: 'rowHeight', update: "bandwidth('y')" }],
      scales: [{ name: 'inner', type: 'band', domain: versions, range: [0, { signal: 'rowHeight' }], padding: 0.08 }],
      marks: [
        { type: 'rect', from: { data: 'ofMetric' }, encode: { enter: {
          y: { scale: 'inner', field: 'version' }, height: { scale: 'inner', band: 1 },
          x: { scale: 'x', value: 0 }, x2: { scale: 'x', field: 'value' },
          fill: { scale: 'color', field: 'version' },
        } } },
        { type: 'text', from: { data: 'ofMetric' }, encode: { enter: {
          y: { scale: 'inner', field: 'version', band: 0.5 }, x: { scale: 'x', field: 'value', offset: 4 },
          text: { signal: "format(datum.value, '.3f')" }, baseline: { value: 'middle' }, fontSize: { value: 10 }, fill: { value: '#444' },
        } } },
      ],
    }],
  };
}

/** Draws the spec into `el` as SVG; the returned view is finalized by the caller when the page changes. */
export async function renderChart(el: HTMLElement, spec: Spec): Promise<View> {
  const view = new vega.View(vega.parse(spec, undefined, { ast: true }), { expr: expressionInterpreter, renderer: 'svg', container: el, hover: false });
  await view.runAsync();
  return view;
}
