import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ChartAssets } from '../analysis/report/report-page.js';

/**
 * uPlot's browser build and stylesheet, read from the installed package so the report inlines
 * exactly the version package.json pins. uPlot: about 50 KB minified, canvas drawing that stays
 * fast over the tens of thousands of quotes an open has, MIT, no dependencies; ECharts would add
 * a megabyte to every report, Vega-Lite three packages and a runtime compiler.
 */
export function chartAssets(): ChartAssets {
  const require = createRequire(import.meta.url);
  return {
    script: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
}
