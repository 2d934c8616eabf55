/**
 * Reading a baseline file (docs/baselines.md) for the CLI and the language server. The editor lints on every
 * keystroke: the parsed file is kept until its size or modification time changes.
 */
import { readFileSync, statSync } from 'node:fs';
import { BaselineError, parseBaseline, type Baseline } from '../engine';

export type LoadedBaseline = { baseline: Baseline } | { error: string };

const cache = new Map<string, { stamp: string; loaded: LoadedBaseline }>();

/** The baseline at `path`, or why it cannot be used (missing, unreadable, not a kgov baseline). */
export function loadBaselineFile(path: string): LoadedBaseline {
  let stamp: string;
  try {
    const stat = statSync(path);
    stamp = `${stat.size}:${stat.mtimeMs}`;
  } catch (error) {
    cache.delete(path);
    return { error: `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  const known = cache.get(path);
  if (known?.stamp === stamp) return known.loaded;
  let loaded: LoadedBaseline;
  try {
    loaded = { baseline: parseBaseline(readFileSync(path, 'utf8')) };
  } catch (error) {
    if (error instanceof BaselineError) loaded = { error: `${path} is not a kgov baseline: ${error.message}` };
    else loaded = { error: `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  cache.set(path, { stamp, loaded });
  return loaded;
}
