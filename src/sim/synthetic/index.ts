/** Seeded synthetic market-open tapes: the product's embedded default data (no real data ships). */
export { TQQQ_LIKE, SOXL_LIKE, builtinProfiles, findBuiltinProfile } from './builtin-profiles.js';
export type { GenerateOpenOptions } from './generate-open.js';
export { generateOpen, symbolForProfile } from './generate-open.js';
export { UVXY_LIKE, LEV5_LIKE } from './builtin-profiles.js';
export type { OpenShape, ResolvedShape, BadQuotesShape, BadQuoteKind } from './open-shape.js';
export { BAD_QUOTE_KINDS, openShapeSchema, validateShape } from './open-shape.js';
