/** Measuring real or synthetic opens: the numbers `data profile` prints and calibration fits. */
export type { OpenMeasurement, WindowMeasurement } from './measure-open.js';
export { measureOpen, midAt } from './measure-open.js';
export type { OpenWindow } from './open-windows.js';
export { OPEN_WINDOW_CLOCKS, openWindows, sessionCloseMs } from './open-windows.js';
export type { WeightedSample } from './time-weighted-quantile.js';
export { weightedQuantiles, WeightedSampleBuilder } from './time-weighted-quantile.js';
export { countInRange, coveredRange, forEachValidInterval, isValidQuoteAt } from './quote-intervals.js';
