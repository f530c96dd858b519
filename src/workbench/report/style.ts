// The report's stylesheet (inlined: the page needs no other file and no network).
export const STYLE = `
:root { --fg: #1f2328; --muted: #667085; --line: #e4e7ec; --bg: #f7f8fa; --good: #1a7f37; --bad: #c0392b; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 0 0 8px; }
h4 { font-size: 13px; margin: 0 0 6px; font-weight: 600; }
.lead { font-size: 16px; margin: 0 0 2px; }
.muted, .iv { color: var(--muted); font-weight: normal; }
.iv { font-size: 11px; white-space: nowrap; display: block; }
.wide { overflow-x: auto; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; background: #eef0f3; padding: 1px 4px; border-radius: 3px; }
table.summary { border-collapse: collapse; width: 100%; background: white; border: 1px solid var(--line); font-size: 12.5px; }
table.summary th { text-align: left; font-weight: 600; background: #f1f3f6; padding: 6px 5px; border-bottom: 1px solid var(--line); vertical-align: bottom; }
table.summary td { padding: 6px 5px; border-bottom: 1px solid var(--line); vertical-align: top; }
table.summary td.name { white-space: nowrap; }
table.summary tr.best td { background: #f0f7f1; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px; vertical-align: baseline; }
.better { color: var(--good); font-weight: 600; }
.worse { color: var(--bad); font-weight: 600; }
.same { color: var(--fg); }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(600px, 1fr)); gap: 16px; }
figure { margin: 0; background: white; border: 1px solid var(--line); border-radius: 6px; padding: 12px; overflow-x: auto; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 12.5px; margin-top: 6px; }
.user { background: white; border: 1px solid var(--line); border-radius: 6px; padding: 14px; margin: 12px 0; }
.cols { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 12px; }
.col ol { margin: 0; padding-left: 22px; }
.col ol.plain li { background: none; }
.col li { margin: 0 0 3px; padding: 1px 4px; border-radius: 3px; font-size: 12.5px; }
.col li .id { font-weight: 600; }
.col li .meta { display: block; color: var(--muted); font-size: 11.5px; line-height: 1.3; }
li.hit { background: #dcf2e1; }
li.seen { background: #eceef1; color: var(--muted); }
.hit-key { background: #dcf2e1; padding: 0 4px; border-radius: 3px; }
.seen-key { background: #eceef1; padding: 0 4px; border-radius: 3px; }
.method ul { padding-left: 20px; }
.method li { margin-bottom: 6px; }
`;
