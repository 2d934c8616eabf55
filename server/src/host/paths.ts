import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/**
 * The repository's schemas/ folder, found by walking up from this module: the same code runs bundled
 * (server/out/*.js, or inside the packaged extension) and from source (tests).
 */
export function schemasDir(): string {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'schemas', 'kubernetes', 'index.json'))) return (cached = join(dir, 'schemas'));
    if (dirname(dir) === dir) throw new Error(`kgov: cannot find schemas/ above ${__dirname}`);
  }
}

/** The repository (or installed extension) root: the folder holding schemas/. */
export function packageRoot(): string {
  return dirname(schemasDir());
}
