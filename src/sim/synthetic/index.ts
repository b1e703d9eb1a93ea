/** Seeded synthetic market-open tapes: the product's embedded default data (no real data ships). */
export type { OpenProfile } from './open-profile.js';
export { TQQQ_LIKE, SOXL_LIKE, builtinProfiles, findBuiltinProfile, validateProfile } from './open-profile.js';
export type { GenerateOpenOptions } from './generate-open.js';
export { generateOpen, symbolForProfile } from './generate-open.js';
