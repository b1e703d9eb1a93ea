import { PAGE_SCRIPT } from './page-script.js';
import type { ReportSection } from './report-sections.js';

/** The chart library's code and style, inlined so the page needs nothing but itself. */
export interface ChartAssets {
  readonly script: string;
  readonly css: string;
}

export interface ReportPage {
  readonly title: string;
  /** What produced it (command line, database, version), printed in the footer. */
  readonly provenance: string;
  readonly sections: readonly ReportSection[];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** JSON that is safe inside <script>: no "</script>" or "<!--" can end or bend the element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (tag: string, text: string): string => `<${tag}>${escapeHtml(text).replace(/\n/g, '<br>')}</${tag}>`;
  return `<table><thead><tr>${head.map((h) => cell('th', h)).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => cell('td', c)).join('')}</tr>`).join('')}</tbody></table>`;
}

const notesHtml = (notes: readonly string[]): string => (notes.length === 0 ? '' : `<ul class="notes">${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`);
const chartDiv = (id: string): string => `<div class="chart" id="${id}"></div>`;

function sectionBody(s: ReportSection, id: string): string {
  switch (s.kind) {
    case 'execution':
      return [
        s.note === null ? '' : notesHtml([s.note]),
        `<div class="side-by-side">${chartDiv(id)}<div class="facts">${table(['', ''], s.facts)}</div></div>`,
        '<h3>Child orders</h3>',
        table(['child', 'type', 'limit $', 'from s', 'to s', 'status'], s.children.map((c) => [c.id, c.type, c.limit === null ? '-' : c.limit.toFixed(4), c.from.toFixed(3), c.to.toFixed(3), c.status])),
        '<h3>Decision log</h3>',
        table(['s from decision', 'kind', 'detail'], s.events.map((e) => [e.t.toFixed(3), e.kind, e.detail])),
      ].join('\n');
    case 'run':
      return [
        table(s.table.head, s.table.rows),
        notesHtml(s.notes),
        ...s.models.flatMap((m, j) => [`<h3>Liquidity ${escapeHtml(m.liquidity)}</h3>`, chartDiv(`${id}-${j}-cost`), m.vsMarket.length === 0 ? '' : chartDiv(`${id}-${j}-paired`)]),
      ].join('\n');
    case 'sweep':
      return [notesHtml(s.notes), ...s.models.map((_, j) => chartDiv(`${id}-${j}`)), '<h3>Verdict on the test opens</h3>', table(s.table.head, s.table.rows)].join('\n');
    case 'rebalance':
      return [
        notesHtml(s.notes),
        chartDiv(id),
        '<h3>Weights</h3>',
        table(['symbol', 'before', 'target', 'after'], s.weights.map((w) => [w.symbol, pct(w.before), pct(w.target), pct(w.after)])),
      ].join('\n');
  }
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ccc; } h3 { font-size: 15px; }
.subtitle { color: #555; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
.side-by-side { display: flex; gap: 16px; align-items: flex-start; flex-wrap: wrap; }
.chart { margin: 8px 0; }
.notes { color: #8a4b00; }
footer { margin-top: 40px; color: #777; font-size: 12px; }
`;

/**
 * One self-contained HTML page: the text and tables rendered here, the charts drawn in the page
 * by the inlined chart library from the embedded section data. No external reference of any kind,
 * so it opens offline and can be mailed as one file.
 */
export function renderReportPage(page: ReportPage, assets: ChartAssets): string {
  const sections = page.sections
    .map((s, i) => `<section class="${s.kind}"><h2>${escapeHtml(s.title)}</h2><p class="subtitle">${escapeHtml(s.subtitle)}</p>\n${sectionBody(s, `chart-${i}`)}</section>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(page.title)}</title>
<link rel="icon" href="data:,">
<style>${assets.css}</style><style>${STYLE}</style></head>
<body><h1>${escapeHtml(page.title)}</h1>
${sections}
<footer>${escapeHtml(page.provenance)}</footer>
<script id="report-data" type="application/json">${scriptJson(page.sections)}</script>
<script>${assets.script}</script>
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}
