import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { z } from 'zod';
import { scenarioSchema, type Scenario } from './scenario-schema.js';

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

function describeIssue(file: string, issue: z.core.$ZodIssue): string {
  const field = issue.path.map(String).join('.') || '(root)';
  if (issue.code === 'unrecognized_keys') return `${file}: ${[field === '(root)' ? '' : field, issue.keys[0]].filter(Boolean).join('.')}: unknown field`;
  return `${file}: ${field}: ${issue.message}`;
}

/** Validates a scenario object; `file` names it in errors and anchors relative tape paths. */
export function parseScenario(raw: unknown, file: string): Scenario {
  const r = scenarioSchema.safeParse(raw);
  if (!r.success) throw new ScenarioError(describeIssue(file, r.error.issues[0]!));
  const scenario = r.data;
  if ('tapes' in scenario.data) {
    const base = dirname(file);
    scenario.data = { tapes: scenario.data.tapes.map((p) => (isAbsolute(p) ? p : resolve(base, p))) };
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
