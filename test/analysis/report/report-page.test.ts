import { describe, expect, it } from 'vitest';
import { escapeHtml, renderReportPage, scriptJson } from '../../../src/analysis/report/report-page.js';
import type { SweepSection } from '../../../src/analysis/report/report-sections.js';

const sweep = (title: string): SweepSection => ({ kind: 'sweep', title, subtitle: 's', models: [{ liquidity: 'conservative', marks: [] }], table: { head: ['a\nb'], rows: [['<x>']] }, notes: [] });

describe('renderReportPage', () => {
  it('escapes every text and keeps the embedded data from closing its script element', () => {
    const hostile = '</script><script>alert(1)</script> & "q"';
    const html = renderReportPage({ title: hostile, provenance: hostile, sections: [sweep(hostile)] }, { script: '/*lib*/', css: '/*css*/' });
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain(escapeHtml(hostile));
    const data = /<script id="report-data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!;
    expect((JSON.parse(data) as SweepSection[])[0]!.title).toBe(hostile);
    // A table cell's line break becomes <br>, its markup text.
    expect(html).toContain('<th>a<br>b</th>');
    expect(html).toContain('<td>&lt;x&gt;</td>');
    expect(html).toContain('<style>/*css*/</style>');
  });

  it('writes JSON that parses back to the same value whatever the strings hold', () => {
    const value = { a: '<!-- </SCRIPT> \u2028 \u2029', b: [1.5, null] };
    expect(JSON.parse(scriptJson(value))).toEqual(value);
    expect(scriptJson(value)).not.toMatch(/[<\u2028\u2029]/);
  });
});
