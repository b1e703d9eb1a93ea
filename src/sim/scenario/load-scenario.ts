import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { z } from 'zod';
import { scenarioSchema, type Scenario } from './scenario-schema.js';
import { isProfileFile } from '../synthetic/profile-source.js';

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

/**
 * A union (scenario `data` is synthetic OR tapes) reports only "Invalid input" at its own level;
 * the branch whose first issue reaches deepest is the one the author meant, so report that.
 */
function mostSpecific(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union') return issue;
  const branches = issue.errors
    .map((branch) => branch[0])
    .filter((i): i is z.core.$ZodIssue => i !== undefined)
    .map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as z.core.$ZodIssue);
  const deepest = branches.sort((a, b) => b.path.length - a.path.length)[0];
  return deepest === undefined ? issue : mostSpecific(deepest);
}

function describeIssue(file: string, raw: z.core.$ZodIssue): string {
  const issue = mostSpecific(raw);
  const field = issue.path.map(String).join('.') || '(root)';
  if (issue.code === 'unrecognized_keys') return `${file}: ${[field === '(root)' ? '' : field, issue.keys[0]].filter(Boolean).join('.')}: unknown field`;
  return `${file}: ${field}: ${issue.message}`;
}

/** Validates a scenario object; `file` names it in errors and anchors relative tape paths. */
export function parseScenario(raw: unknown, file: string): Scenario {
  const r = scenarioSchema.safeParse(raw);
  if (!r.success) throw new ScenarioError(describeIssue(file, r.error.issues[0]!));
  const scenario = r.data;
  const base = dirname(file);
  if ('tapes' in scenario.data) {
    scenario.data = { ...scenario.data, tapes: scenario.data.tapes.map((p) => (isAbsolute(p) ? p : resolve(base, p))) };
  } else if (isProfileFile(scenario.data.synthetic.profile) && !isAbsolute(scenario.data.synthetic.profile)) {
    scenario.data = { synthetic: { ...scenario.data.synthetic, profile: resolve(base, scenario.data.synthetic.profile) } };
  }
  return scenario;
}

export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ScenarioError(`${file}: cannot read scenario (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ScenarioError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  return parseScenario(raw, file);
}
