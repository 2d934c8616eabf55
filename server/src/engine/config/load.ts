/**
 * Finding and loading `.kgov.yaml` and the policy files it lists. Reads stay inside the folder of the config
 * file (no `..`, no absolute paths, no symlinks out of it); policies are loaded only when the caller says the
 * workspace is trusted.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { BUILTINS, UMBRELLAS } from '../registry/builtins';
import { CONFIG_FILE_NAMES, DEFAULT_CONFIG, parseConfig, type ConfigProblem, type ConfigVocabulary, type ResolvedConfig } from './config';
import { compileGlobs } from './glob';
import { parsePolicy, PolicyError, policyRule } from './policies';
import { RULES } from '../rules';
import type { SchemaCatalog } from '../schema/catalog';
import { LineIndex } from '../util/line-index';
import type { Finding } from '../types';
import { spanOf } from '../yaml/locate';
import { parseChunk } from '../yaml/parse';

/** The nearest config file at or above `directory`. */
export function findConfigFile(directory: string): string | undefined {
  for (let dir = resolve(directory); ; dir = dirname(dir)) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

export function configVocabulary(catalog: SchemaCatalog, policyIds: readonly string[] = []): ConfigVocabulary {
  return {
    ruleIds: [...Object.keys(RULES), ...[...BUILTINS, ...UMBRELLAS].map((b) => b.id), ...policyIds],
    optionsSchema: (id) => RULES[id]?.meta.options,
    versions: catalog.versions,
  };
}

export interface LoadedConfig {
  config: ResolvedConfig;
  /** Absolute paths of the policy files to load (empty in an untrusted workspace). */
  policyFiles: string[];
  /** Problems of the config file (and of the policies it lists), as findings in the config file. */
  findings: Finding[];
}

const BUILTIN_POLICY = /^builtin:([a-z0-9-]+)$/;
const MAX_POLICY_FILES = 200;

/** Files under `root` whose relative path matches `pattern`; never leaves `root`. */
function expand(root: string, pattern: string): string[] {
  const match = compileGlobs([pattern.startsWith('/') ? pattern : `/${pattern}`]);
  const realRoot = realpathSync(root);
  const out: string[] = [];
  const visit = (dir: string, depth: number) => {
    if (depth > 8 || out.length >= MAX_POLICY_FILES) return;
    for (const name of readdirSync(dir).sort()) {
      if (name === 'node_modules' || name === '.git') continue;
      const path = join(dir, name);
      let real: string;
      try {
        real = realpathSync(path);
      } catch {
        continue;
      }
      if (real !== realRoot && !real.startsWith(realRoot + sep)) continue;
      if (statSync(real).isDirectory()) visit(path, depth + 1);
      else if (match(relative(root, path).split(sep).join('/'))) out.push(path);
    }
  };
  visit(root, 0);
  return out;
}

export function loadConfigFile(path: string, catalog: SchemaCatalog, schemasDir: string, trusted: boolean): LoadedConfig {
  const text = readFileSync(path, 'utf8');
  return loadConfigText(text, path, catalog, schemasDir, trusted);
}

export function loadConfigText(text: string, path: string, catalog: SchemaCatalog, schemasDir: string, trusted: boolean): LoadedConfig {
  const first = parseConfig(text, path, configVocabulary(catalog), schemasDir);
  const problems: ConfigProblem[] = [];
  const policyFiles: string[] = [];
  const policyIds: string[] = [];
  const root = dirname(path);
  const doc = parseChunk(text)[0];
  const entrySpan = (index: number) => (doc ? spanOf(doc, `/policies/${index}`, 'value') : { start: 0, end: 0 });
  if (trusted) {
    first.config.policies.forEach((pattern, index) => {
      const builtin = BUILTIN_POLICY.exec(pattern);
      let files: string[];
      if (builtin) {
        const file = join(schemasDir, 'readiness', `${builtin[1]}.yaml`);
        files = existsSync(file) ? [file] : [];
        if (files.length === 0) problems.push({ messageId: 'policy', message: `No built-in policy "${builtin[1]}" (see schemas/readiness/).`, span: entrySpan(index) });
      } else if (pattern.split(/[\\/]/).includes('..') || /^([a-zA-Z]:)?[\\/]/.test(pattern)) {
        problems.push({ messageId: 'policy', message: 'Policy paths must stay inside the folder of .kgov.yaml (no "..", no absolute paths).', span: entrySpan(index) });
        return;
      } else {
        files = expand(root, pattern);
        if (files.length === 0) problems.push({ messageId: 'policy', message: `No policy file matches "${pattern}".`, span: entrySpan(index) });
      }
      for (const file of files) {
        try {
          const policy = parsePolicy(readFileSync(file, 'utf8'), relative(root, file) || file, schemasDir);
          policyRule(policy, file);
          if (RULES[policy.id] || policyIds.includes(policy.id)) throw new PolicyError(`${relative(root, file)}: policy id "${policy.id}" is already taken`);
          policyIds.push(policy.id);
          policyFiles.push(file);
        } catch (error) {
          problems.push({ messageId: 'policy', message: error instanceof Error ? error.message : String(error), span: entrySpan(index) });
        }
      }
    });
  }
  // With the policies known, rule settings may name them.
  const final = policyIds.length > 0 ? parseConfig(text, path, configVocabulary(catalog, policyIds), schemasDir) : first;
  const lines = new LineIndex(text);
  const findings = [...final.problems, ...problems].map((p): Finding => ({
    ruleId: 'config/invalid', messageId: p.messageId, message: p.message, severity: 'error', docIndex: 0, pointer: '',
    span: p.span, range: lines.rangeOf(p.span), fixable: false,
  }));
  return { config: final.config, policyFiles, findings };
}

/** The default configuration, for files with no `.kgov.yaml` above them. */
export function defaultConfig(): LoadedConfig {
  return { config: { ...DEFAULT_CONFIG, rules: {} }, policyFiles: [], findings: [] };
}

/** Is this YAML text a kgov config (for the language server: `.kgov.yaml` files are validated as config)? */
export function isConfigPath(path: string): boolean {
  return CONFIG_FILE_NAMES.some((name) => path.endsWith(`/${name}`) || path.endsWith(`\\${name}`) || path === name);
}
