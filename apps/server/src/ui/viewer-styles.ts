/** The viewer's stylesheet, served as `/ui/app.css`. */
export const viewerStyles = String.raw`
:root { --fg: #1d2330; --muted: #6b7280; --line: #e3e6ec; --ok: #1a7f4b; --fail: #b42318; --run: #2563eb; --bar: #93b4f5; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, sans-serif; color: var(--fg); margin: 0; background: #fafbfc; }
header { display: flex; gap: 1rem; align-items: baseline; padding: 0.75rem 1.5rem; background: #fff; border-bottom: 1px solid var(--line); }
header h1 { font-size: 1.1rem; margin: 0; }
header a { color: inherit; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 0.75rem 1rem; margin: 0 0 1rem; }
h2 { font-size: 0.95rem; margin: 0 0 0.5rem; }
a { color: var(--run); }
.muted { color: var(--muted); }
.error { color: var(--fail); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 0.85rem; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
form { display: grid; grid-template-columns: auto 1fr auto; gap: 0.5rem; align-items: start; }
textarea { font: inherit; width: 100%; min-height: 3.2rem; resize: vertical; }
select, button { font: inherit; padding: 0.3rem 0.6rem; }
.badge { display: inline-block; padding: 0 0.45rem; border-radius: 999px; font-size: 0.8rem; background: #eef0f4; }
.badge.ok, .badge.pass { background: #dcf3e6; color: var(--ok); }
.badge.failed, .badge.fail, .badge.timeout, .badge.cancelled { background: #fde3e1; color: var(--fail); }
.badge.running { background: #dde8fd; color: var(--run); }
.meta { display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; }
.wf { font-size: 0.85rem; }
.wf-row { display: grid; grid-template-columns: 16rem 1fr 13rem; gap: 0.75rem; align-items: center; border-bottom: 1px solid #f0f1f4; }
.wf .label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.wf .track { position: relative; height: 1.1rem; margin: 0.15rem 0; background: #f5f6f8; }
.wf .bar { position: absolute; top: 0; bottom: 0; min-width: 2px; background: var(--bar); border-radius: 2px; }
.wf .bar.model { background: #a78bfa; }
.wf .bar.tool { background: #f59e0b; }
.wf .bar.run { background: #cbd5e1; }
.wf .bar.failed, .wf .bar.timeout, .wf .bar.cancelled { background: #f87171; }
.wf .bar.running { background: repeating-linear-gradient(45deg, var(--bar), var(--bar) 6px, #bcd0f8 6px, #bcd0f8 12px); }
.wf .timing { color: var(--muted); font-variant-numeric: tabular-nums; white-space: nowrap; }
.conf { display: grid; grid-template-columns: 8rem 1fr 3.5rem; gap: 0.2rem 0.5rem; align-items: center; max-width: 32rem; }
.conf .track { height: 0.6rem; background: #f0f1f4; border-radius: 3px; }
.conf .fill { height: 100%; background: var(--run); border-radius: 3px; }
.verdict { border-top: 1px solid var(--line); padding: 0.4rem 0; }
.verdict:first-of-type { border-top: 0; }
.chip { display: inline-block; margin: 0.15rem 0.25rem 0 0; padding: 0 0.4rem; border-radius: 3px; font-size: 0.78rem; background: #eef0f4; }
.chip.pass { background: #dcf3e6; }
.chip.fail { background: #fde3e1; }
pre { white-space: pre-wrap; word-break: break-word; margin: 0; font: 13px/1.5 ui-monospace, monospace; }
svg.graph { width: 100%; height: auto; max-height: 24rem; }
svg.graph .edge { stroke: #c3c8d2; stroke-width: 1.5; fill: none; }
svg.graph .edge.taken { stroke: var(--run); stroke-width: 3; }
svg.graph rect { fill: #fff; stroke: #9aa3b2; stroke-width: 1.5; }
svg.graph .visited rect { fill: #dde8fd; stroke: var(--run); stroke-width: 2.5; }
svg.graph text { font-size: 12px; fill: var(--fg); }
svg.graph text.kind { font-size: 10px; fill: var(--muted); }
`;
