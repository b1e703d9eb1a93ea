import { readJsonFile } from '../read-json-file.js';
import { builtinProfiles, findBuiltinProfile } from './builtin-profiles.js';
import { validateProfile, type OpenProfile } from './open-profile.js';

/**
 * True when a profile reference names a JSON file rather than a built-in profile: it ends in
 * `.json` or holds a path separator. Built-in names never do, so the two cannot be confused.
 */
export function isProfileFile(ref: string): boolean {
  return /\.json$/i.test(ref.trim()) || /[\\/]/.test(ref);
}

/**
 * The profile a `--profile` argument or a scenario's `data.synthetic.profile` names: a built-in
 * profile (forgiving case and `_`), or a JSON file holding a profile, either bare or as the
 * `profile` field of a wrapper object (what a calibration may write beside its measurements).
 * Throws an Error whose one-line message says which reference failed and why.
 */
export function loadProfileRef(ref: string): OpenProfile {
  if (!isProfileFile(ref)) {
    const p = findBuiltinProfile(ref);
    if (p === undefined) {
      throw new Error(`unknown profile "${ref}" (built-in: ${Object.keys(builtinProfiles).join(', ')}; or a profile .json file)`);
    }
    return p;
  }
  let raw: unknown;
  try {
    raw = readJsonFile(ref);
  } catch (err) {
    throw new Error(`profile ${ref}: ${(err as Error).message}`);
  }
  const wrapped = typeof raw === 'object' && raw !== null && !('name' in raw) && 'profile' in raw;
  try {
    return validateProfile(wrapped ? (raw as { profile: unknown }).profile : raw);
  } catch (err) {
    throw new Error(`profile ${ref}: ${(err as Error).message}`);
  }
}
