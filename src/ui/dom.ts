// Building the page without HTML strings: every value becomes a text node or a property, so item ids and
// metadata from users' CSV files can never inject markup. Nothing in the console writes innerHTML.

export type Child = Node | string | number | null | undefined | false | Child[];

export interface Props {
  class?: string;
  title?: string;
  href?: string;
  id?: string;
  type?: string;
  name?: string;
  value?: string;
  placeholder?: string;
  disabled?: boolean;
  checked?: boolean;
  selected?: boolean;
  min?: string;
  max?: string;
  step?: string;
  for?: string;
  list?: string;
  role?: string;
  open?: boolean;
  colspan?: number;
  'aria-label'?: string;
  'aria-live'?: string;
  'data-test'?: string;
  'data-col'?: string;
  onclick?: (ev: MouseEvent) => void;
  onchange?: (ev: Event) => void;
  oninput?: (ev: Event) => void;
  onsubmit?: (ev: SubmitEvent) => void;
}

function append(el: Element, c: Child): void {
  if (c === null || c === undefined || c === false) return;
  if (Array.isArray(c)) { for (const x of c) append(el, x); return; }
  el.append(c instanceof Node ? c : document.createTextNode(String(c)));
}

/** An element with properties and children (strings become text). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
    else if (k === 'class') el.className = String(v);
    else if (k === 'href') el.setAttribute('href', safeHref(String(v)));
    else if (k === 'value' && 'value' in el) (el as HTMLInputElement).value = String(v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

/** Links the console makes are in-page routes or its own API; anything else becomes inert. */
function safeHref(href: string): string {
  return href.startsWith('#') || href.startsWith('/_personalize/') ? href : '#';
}

/** Replace an element's children. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** A table: header cells, then rows of cells; wrapped so a wide table scrolls instead of the page. */
export function table(head: Child[], rows: Child[][], opts: { class?: string; empty?: string; test?: string } = {}): HTMLElement {
  if (!rows.length && opts.empty) return h('p', { class: 'muted empty' }, opts.empty);
  return h('div', { class: 'table-wrap' },
    h('table', { class: opts.class, 'data-test': opts.test },
      h('thead', null, h('tr', null, head.map((c) => h('th', null, c)))),
      h('tbody', null, rows.map((r) => h('tr', null, r.map((c) => (c instanceof HTMLTableCellElement ? c : h('td', null, c))))))));
}

/** A section with a heading. */
export function section(title: Child, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card' }, h('h2', null, title), children);
}

/** A definition list of label / value pairs (values that are undefined are left out). */
export function facts(pairs: [string, Child][]): HTMLElement {
  return h('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

/** A status as a coloured badge. */
export function status(s: string | undefined): HTMLElement {
  const kind = !s ? 'none' : /FAILED|STOPPED/.test(s) ? 'bad' : /ACTIVE|^SUCCEEDED|COMPLETED/.test(s) ? 'good' : /PENDING|PROGRESS|STOPPING|DELETE/.test(s) ? 'busy' : 'none';
  return h('span', { class: `status ${kind}` }, s ?? '—');
}

/** An ARN shown short (its last part), the whole ARN in the tooltip and on copy. */
export function arn(a: string | undefined, label?: string): HTMLElement {
  if (!a) return h('span', { class: 'muted' }, '—');
  return h('code', { class: 'arn', title: a }, label ?? a.slice(a.lastIndexOf(':') + 1));
}

/** Pretty JSON in a collapsible block. */
export function json(summary: string, value: unknown): HTMLElement {
  return h('details', { class: 'json' }, h('summary', null, summary), h('pre', null, JSON.stringify(value, null, 2)));
}

export function errorBox(err: unknown): HTMLElement {
  const e = err as { type?: string; message?: string };
  return h('div', { class: 'banner error', role: 'alert' }, e.type ? h('strong', null, `${e.type}: `) : null, e.message ?? String(err));
}
