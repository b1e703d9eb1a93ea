import { z } from 'zod';
import { fillModelSchema } from '../fill-model-config.js';
import { openShapeField } from '../synthetic/open-shape.js';
import { haltSchema, widenSchema } from '../overlay/overlay-schema.js';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const clock = z.string().regex(/^\d{2}:\d{2}(:\d{2})?$/, 'expected an ET time HH:MM or HH:MM:SS');

/**
 * Seeded synthetic opens: `days` trading days from `startDate` for one profile, a built-in name
 * or a profile JSON file (relative to the scenario file), optionally bent by a `shape`.
 */
const syntheticData = z.strictObject({
  profile: z.string().min(1),
  shape: openShapeField.optional(),
  startDate: date,
  days: z.number().int().min(1).max(500),
  /** Seed of the generated tapes (the fill model has its own, the scenario's `seed`). */
  seed: z.union([z.number().int(), z.string()]).default(1),
});

/**
 * A backtest scenario: which opens, which orders on each, which strategies, under which ladder
 * configuration and fill model. Paths are relative to the scenario file.
 */
export const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().default(''),
  data: z.union([
    z.strictObject({ synthetic: syntheticData }),
    z.strictObject({
      tapes: z.array(z.string().min(1)).min(1),
      /** "skip": leave out tapes that are not there (e.g. third-party data not shipped); "error": refuse. */
      ifMissing: z.enum(['error', 'skip']).default('error'),
    }),
  ]),
  orders: z
    .strictObject({
      sides: z.array(z.enum(['buy', 'sell'])).min(1).default(['buy']),
      /** Share quantities; fractional shares allowed. */
      quantities: z.array(z.number().positive()).min(1).default([100]),
      /** ET decision times on each day. */
      decisionTimes: z.array(clock).min(1).default(['09:30:00']),
    })
    .default({ sides: ['buy'], quantities: [100], decisionTimes: ['09:30:00'] }),
  strategies: z.array(z.enum(['ladder', 'market', 'progressive', 'passive'])).min(1).default(['ladder', 'market', 'progressive', 'passive']),
  /** Inline configuration (same shape as a --config file); a --config file replaces it. */
  config: z.unknown().optional(),
  fillModel: fillModelSchema.default(fillModelSchema.parse({})),
  /** Widen every tape's spreads near the open (`backtest --widen` replaces it). */
  widen: widenSchema.optional(),
  /** Cut a trading halt into every tape. */
  halt: haltSchema.optional(),
  seed: z.union([z.number().int(), z.string()]).default(1),
});

export type Scenario = z.output<typeof scenarioSchema>;
