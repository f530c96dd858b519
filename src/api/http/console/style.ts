// The console's style sheet (served as /_personalize/ui/console.css; the page allows no inline styles).
// Colours and fonts follow the evaluation report's charts; wide tables scroll inside their card.

export const STYLE = `
:root { --fg: #1f2328; --muted: #667085; --line: #e3e6ea; --bg: #f6f7f9; --card: #fff; --accent: #4e79a7; --accent-dark: #3b5f86;
  --good: #2f7d32; --bad: #b42318; --busy: #9a6700; font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); font-size: 14px; line-height: 1.45; }
a { color: var(--accent-dark); text-decoration: none; }
a:hover { text-decoration: underline; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
h1 { font-size: 22px; margin: 4px 0 12px; font-weight: 650; overflow-wrap: anywhere; }
h2 { font-size: 15px; margin: 0 0 10px; font-weight: 650; }
h3 { font-size: 13px; margin: 12px 0 6px; overflow-wrap: anywhere; }
.muted { color: var(--muted); font-weight: normal; }
.top { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 18px; padding: 10px 20px; background: #fff; border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 2; }
.brand { font-weight: 700; color: var(--fg); white-space: nowrap; }
.brand span { color: var(--accent); font-weight: 600; }
#crumbs { flex: 1 1 300px; min-width: 0; color: var(--muted); overflow-wrap: anywhere; }
#crumbs .sep { margin: 0 6px; }
.clock { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; color: var(--muted); font-size: 12.5px; }
main { padding: 16px 20px 40px; max-width: 1600px; margin: 0 auto; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin: 0 0 16px; min-width: 0; }
.title-row { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 8px 16px; }
.banner { padding: 10px 20px; border-bottom: 1px solid var(--line); }
.banner.warn { background: #fff8e6; color: #7a4d00; }
.banner.error { background: #fdecea; color: var(--bad); border: 1px solid #f5c2bd; border-radius: 6px; margin: 8px 0; overflow-wrap: anywhere; }
main .banner.warn { border: 1px solid #f0d9a0; border-radius: 6px; margin: 0 0 16px; }
.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 4px 16px; margin: 0 0 16px; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; min-width: 0; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 10px 5px 0; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12.5px; white-space: nowrap; }
tbody tr:hover { background: #fafbfc; }
table.rows td, table.lines td { white-space: nowrap; max-width: 360px; overflow: hidden; text-overflow: ellipsis; }
table.lines td code.line { white-space: pre; }
code.arn, code.path, code.expr { overflow-wrap: anywhere; }
code.item { display: inline-block; max-width: 100%; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; vertical-align: bottom; }
.empty { margin: 4px 0; }
.failure { color: var(--bad); font-size: 12.5px; max-width: 520px; overflow-wrap: anywhere; }
.status { display: inline-block; padding: 0 7px; border-radius: 10px; font-size: 11.5px; font-weight: 600; border: 1px solid; white-space: nowrap; }
.status.good { color: var(--good); border-color: #b7dfb9; background: #f0faf0; }
.status.bad { color: var(--bad); border-color: #f5c2bd; background: #fdf0ef; }
.status.busy { color: var(--busy); border-color: #f0d9a0; background: #fff8e6; }
.status.none { color: var(--muted); border-color: var(--line); }
button, a.button { font: inherit; font-size: 13px; padding: 5px 12px; border: 1px solid #c9ced6; background: #fff; border-radius: 6px; cursor: pointer; color: var(--fg); display: inline-block; white-space: nowrap; }
button:hover, a.button:hover { border-color: var(--accent); text-decoration: none; }
button.primary, a.button { background: var(--accent); color: #fff; border-color: var(--accent); }
button.primary:hover, a.button:hover { background: var(--accent-dark); }
button.small, a.button.small { font-size: 12px; padding: 2px 8px; }
button:disabled { opacity: .5; cursor: default; }
input, select { font: inherit; font-size: 13px; padding: 4px 6px; border: 1px solid #c9ced6; border-radius: 5px; background: #fff; max-width: 100%; }
input[type=number] { width: 80px; }
label { white-space: nowrap; }
details.json { margin: 8px 0; }
details.json pre { background: #f6f8fa; padding: 10px; border-radius: 6px; overflow: auto; max-height: 360px; font-size: 12px; }
summary { cursor: pointer; color: var(--accent-dark); }
.foot { margin-top: 24px; font-size: 12.5px; }
.metrics { display: grid; grid-template-columns: minmax(0, max-content) minmax(0, 1fr); gap: 16px 28px; align-items: start; }
.chart { min-width: 0; overflow-x: auto; }
.chart svg { max-width: 100%; height: auto; }
.try .query-row { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 14px; }
.try .query-row .grow { flex: 1 1 200px; display: flex; align-items: center; gap: 6px; }
.try .query-row .grow input { flex: 1; }
.chips { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 6px; margin-top: 8px; }
.chips > .muted { min-width: 92px; font-size: 12.5px; }
.chip { font-size: 12px; padding: 1px 8px; border-radius: 12px; max-width: 220px; overflow: hidden; text-overflow: ellipsis; }
.chip .n { color: var(--muted); margin-left: 5px; }
.event-bar { margin-top: 12px; padding-top: 10px; border-top: 1px solid var(--line); display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
.event-log { font-size: 12.5px; color: var(--good); max-height: 90px; overflow: auto; }
.try-grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr) minmax(260px, 330px); gap: 16px; align-items: start; }
.try-grid > .card { margin: 0; }
.pane-head { display: flex; align-items: center; gap: 8px; }
.pane-head strong { background: var(--accent); color: #fff; border-radius: 50%; width: 22px; height: 22px; display: inline-flex; align-items: center; justify-content: center; font-size: 12px; flex: none; }
.pane-head select { flex: 1; min-width: 0; }
.target-info { font-size: 12.5px; margin: 6px 0; overflow-wrap: anywhere; }
.options { margin: 6px 0 10px; font-size: 13px; }
.options .field, .options fieldset { margin: 8px 0; }
.options fieldset { border: 1px solid var(--line); border-radius: 6px; display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; }
.placeholders { display: flex; flex-wrap: wrap; gap: 6px 10px; margin-top: 4px; }
.try.busy .results, .try.busy .history-body { opacity: .55; transition: opacity .15s; }
.results .summary { font-size: 12.5px; margin: 4px 0 8px; }
table.recs, table.history { table-layout: fixed; }
table.recs th:nth-child(1) { width: 3.2em; }
table.recs th:nth-child(3) { width: 8.5em; }
table.recs th:nth-child(4) { width: 4.6em; }
table.history th:nth-child(1) { width: 7.8em; }
table.history th:nth-child(2) { width: 4.8em; }
th .sub { font-weight: normal; font-size: 11.5px; white-space: normal; }
table.history td { overflow: hidden; }
.item-cell { min-width: 0; }
.item-cell .meta { font-size: 12px; color: var(--muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.item-cell .meta span + span::before { content: " · "; }
.score { font-variant-numeric: tabular-nums; }
.slot { font-size: 11.5px; padding: 0 6px; border-radius: 9px; background: #eef3f8; color: var(--accent-dark); }
.slot.exploration { background: #f3eef8; color: #7a4f96; }
.slot.promotion { background: #fff2e5; color: #a35200; }
.trace { font-size: 11.5px; color: var(--muted); cursor: help; margin-top: 2px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.chg { display: block; width: fit-content; font-size: 10.5px; font-weight: 700; padding: 0 4px; border-radius: 4px; }
.chg.new { background: #e6f4ea; color: var(--good); }
.chg.up { color: var(--good); }
.chg.down { color: var(--bad); }
table.history td { font-size: 12.5px; }
@media (max-width: 1180px) {
  .try-grid { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
  .try-grid > section { grid-column: 1 / -1; }
}
@media (max-width: 760px) {
  .top { padding: 8px 12px; position: static; }
  main { padding: 12px 10px 32px; }
  .try-grid, .metrics { grid-template-columns: minmax(0, 1fr); }
  .facts { grid-template-columns: minmax(0, 1fr); gap: 0; }
  .facts dd { margin-bottom: 6px; }
  label { white-space: normal; }
}
`;
