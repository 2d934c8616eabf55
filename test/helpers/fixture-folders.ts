/**
 * The fixture folders of test/rules: `test/rules/<rule-id>/` for every rule module and `test/rules/<family>/<name>/`
 * for the built-in finding ids the engine reports itself (`schema/type`, `yaml/duplicate-key`, `api/removed`).
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const FIXTURES_ROOT = resolve(__dirname, '../rules');

/** Families of built-in ids with fixtures; cluster/*, config/* and kgov/* findings cannot come from one manifest file. */
export const BUILTIN_FAMILIES = ['api', 'schema', 'yaml'] as const;

export interface FixtureFolder {
  /** The rule or built-in id (`cpu-limits-set`, `schema/type`). */
  id: string;
  dir: string;
  builtin: boolean;
}

const isDir = (path: string) => statSync(path).isDirectory();

export function fixtureFolders(root = FIXTURES_ROOT): FixtureFolder[] {
  const out: FixtureFolder[] = [];
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    if (!isDir(dir)) continue;
    if ((BUILTIN_FAMILIES as readonly string[]).includes(name)) {
      for (const sub of readdirSync(dir).sort()) if (isDir(join(dir, sub))) out.push({ id: `${name}/${sub}`, dir: join(dir, sub), builtin: true });
    } else out.push({ id: name, dir, builtin: false });
  }
  return out;
}

/** The fixtures of a folder by kind (context-*.yaml join every fixture's workspace). */
export function fixtureNames(dir: string): { valid: string[]; invalid: string[]; fixed: string[]; context: string[] } {
  const names = readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort();
  return {
    valid: names.filter((n) => n.startsWith('valid-')),
    invalid: names.filter((n) => n.startsWith('invalid-') && !n.endsWith('.fixed.yaml')),
    fixed: names.filter((n) => n.endsWith('.fixed.yaml')),
    context: names.filter((n) => n.startsWith('context-')),
  };
}
