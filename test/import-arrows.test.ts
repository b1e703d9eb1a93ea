/**
 * The layers of DESIGN.md, checked on the source itself: imports point
 * `cli -> (analysis | live | store) -> sim -> engine`, `analysis -> store` for sweeps, `live` reaches
 * `sim` only through the emulator, `engine` imports nothing of the others, nothing in src/ imports
 * the benchmark, and no file imports itself back through a chain (type-only imports included:
 * a type cycle still ties two files' meanings together).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Relative module specifiers of a file: static, type-only, re-exports, side-effect and dynamic imports. */
function relativeImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => normalize(join(dirname(file), m[1]!.replace(/\.js$/, '.ts'))));
}

/** The layer a file belongs to: src/<layer>/..., live split into its parts, or bench. */
function layerOf(file: string): string {
  const parts = file.split(/[\\/]/);
  if (parts[0] === 'bench') return 'bench';
  if (parts[1] === 'live') return parts.length > 3 ? `live/${parts[2]}` : 'live';
  return parts[1]!;
}

const LIVE = ['live', 'live/alerts', 'live/driver', 'live/emulator', 'live/history', 'live/recorder', 'live/rebalance'];
/** What each layer may import besides itself. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  engine: [],
  sim: ['engine'],
  store: ['sim', 'engine'],
  analysis: ['sim', 'engine', 'store'],
  live: [...LIVE, 'engine'],
  'live/driver': [...LIVE, 'engine'],
  'live/history': [...LIVE, 'engine'],
  'live/recorder': [...LIVE, 'engine'],
  // A rebalance's legs on issue 9's driver; its records reach it through ports the cli fills in.
  'live/rebalance': [...LIVE, 'engine'],
  // Alert delivery (stderr, webhook, command): I/O over the engine's pure alerts, like the other live parts.
  'live/alerts': [...LIVE, 'engine'],
  // The emulator adapts a simulated market to Alpaca's wire protocol: live's one door into sim.
  'live/emulator': [...LIVE, 'engine', 'sim'],
  cli: ['analysis', 'live', ...LIVE, 'store', 'sim', 'engine'],
  bench: ['analysis', 'sim', 'engine', 'store'],
};

/** Imports that leave their layer for one it may not import. */
function wrongArrows(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const wrong: string[] = [];
  for (const [file, targets] of graph) {
    const from = layerOf(file);
    for (const target of targets) {
      const to = layerOf(target);
      if (to !== from && !(ALLOWED[from] ?? []).includes(to)) wrong.push(`${file} -> ${target} (${from} -> ${to})`);
    }
  }
  return wrong;
}

/** Every cycle a depth-first walk meets, as "a -> b -> a". */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]): void => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
      return;
    }
    state.set(file, 'open');
    for (const t of graph.get(file) ?? []) visit(t, [...path, file]);
    state.set(file, 'done');
  };
  for (const f of graph.keys()) visit(f, []);
  return cycles;
}

const files = [...tsFiles('src'), ...tsFiles('bench')];
const graph = new Map(files.map((f) => [f, relativeImports(f)]));

describe('import arrows', () => {
  it('every import stays within the arrows of DESIGN.md', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(wrongArrows(graph)).toEqual([]);
  });

  it('every relative import names a file that exists', () => {
    const missing = [...graph].flatMap(([file, targets]) => targets.filter((t) => !graph.has(t)).map((t) => `${file} -> ${t}`));
    expect(missing).toEqual([]);
  });

  it('has no import cycle, type-only imports included', () => {
    expect(findCycles(graph)).toEqual([]);
  });

  it('the checks catch a planted wrong arrow and a planted cycle', () => {
    const planted = new Map([
      ['src/sim/a.ts', ['src/analysis/b.ts']],
      ['src/analysis/b.ts', ['src/analysis/c.ts']],
      ['src/analysis/c.ts', ['src/analysis/b.ts']],
      ['src/engine/d.ts', ['src/sim/a.ts']],
    ]);
    expect(wrongArrows(planted)).toEqual(['src/sim/a.ts -> src/analysis/b.ts (sim -> analysis)', 'src/engine/d.ts -> src/sim/a.ts (engine -> sim)']);
    expect(findCycles(planted)).toEqual(['src/analysis/b.ts -> src/analysis/c.ts -> src/analysis/b.ts']);
    expect(relativeImports('src/analysis/tune/sweep-worker.ts')).toContain(normalize('src/sim/backtest.ts'));
  });
});
