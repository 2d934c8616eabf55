/**
 * `.kgov.yaml` (docs/architecture.md, "Configuration and suppression"): parsed with the same YAML engine, validated against schemas/kgov-config.schema.json
 * and against each rule's options schema, with every problem reported at the offending key of the config file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { compileGlobs } from './glob';
import { PRESET_NAMES, type PresetName } from './presets';
import { joinPointer, valueAt } from '../util/pointer';
import { createBundledAjv } from '../schema/ajv';
import type { CatalogScope } from '../schema/crd-catalog';
import { schemaProblems } from '../schema/messages';
import { closest } from '../util/suggest';
import { isJsonObject, type Anchor, type JsonObject, type Severity, type Span } from '../types';
import { locationOf } from '../yaml/location';
import { spanOf } from '../yaml/locate';
import { parseChunk } from '../yaml/parse';

export const CONFIG_FILE_NAMES = ['.kgov.yaml', '.kgov.yml'];

export interface RuleSetting {
  severity?: Severity | 'off';
  options?: JsonObject;
}

export interface ResolvedConfig {
  /** The file it came from (absent: defaults). */
  path?: string;
  preset: PresetName;
  kubernetesVersion?: string;
  rules: Record<string, RuleSetting>;
  /** Glob patterns relative to the config file's folder. */
  ignore: string[];
  /** Policy file patterns relative to the config file's folder. */
  policies: string[];
  nonBypassable: string[];
  defaultNamespace: string;
  /** kgov's CRD catalog: on, or off, or off for some API groups. */
  crdCatalog: CatalogScope;
  /** Scorecard targets in percent that replace the defaults (docs/scorecard.md). */
  scorecard?: Partial<ScorecardTargets>;
  /** The baseline file, as written (relative to the config file's folder): docs/baselines.md. */
  baseline?: string;
  /** Helm value sets per chart folder (relative to the config file's folder): docs/helm-kustomize.md. */
  charts?: Record<string, ChartValueSet[]>;
}

/** One way to render a chart (`.kgov.yaml` `charts:`): values files relative to the chart, `--set` values. */
export interface ChartValueSet {
  name?: string;
  valuesFiles?: string[];
  set?: Record<string, string | number | boolean>;
  releaseName?: string;
  namespace?: string;
}

/** The scorecard's dimensions, in the order reports show them (docs/scorecard.md). */
export const SCORECARD_DIMENSIONS = ['security', 'reliability', 'rolloutSafety', 'efficiency', 'supplyChain', 'upgradeReadiness'] as const;
export type ScorecardDimension = (typeof SCORECARD_DIMENSIONS)[number];
export type ScorecardTargets = Record<ScorecardDimension, number>;

/** The share (in percent) each dimension must reach unless `.kgov.yaml` says otherwise under `scorecard:`. */
export const DEFAULT_SCORECARD_TARGETS: Readonly<ScorecardTargets> = {
  security: 90, reliability: 80, rolloutSafety: 80, efficiency: 80, supplyChain: 90, upgradeReadiness: 100,
};

export const DEFAULT_CONFIG: ResolvedConfig = {
  preset: 'recommended', rules: {}, ignore: [], policies: [], nonBypassable: [], defaultNamespace: 'default', crdCatalog: { enabled: true, exclude: [] },
};

export interface ConfigProblem {
  messageId: string;
  message: string;
  span: Span;
}

/** What the config may name: rule ids (with options schemas), built-in finding ids and families, versions. */
export interface ConfigVocabulary {
  ruleIds: readonly string[];
  optionsSchema(id: string): object | undefined;
  versions: readonly string[];
}

let configValidator: ValidateFunction | undefined;
let optionsAjv: Ajv | undefined;
const optionValidators = new Map<string, ValidateFunction>();

function validator(schemasDir: string): ValidateFunction {
  configValidator ??= createBundledAjv({ verbose: true }).compile(JSON.parse(readFileSync(join(schemasDir, 'kgov-config.schema.json'), 'utf8')) as object);
  return configValidator;
}

function optionsValidator(id: string, schema: object): ValidateFunction {
  let validate = optionValidators.get(id);
  if (!validate) {
    optionsAjv ??= createBundledAjv({ verbose: true, useDefaults: false });
    validate = optionsAjv.compile(schema);
    optionValidators.set(id, validate);
  }
  return validate;
}

export function parseConfig(text: string, path: string, vocabulary: ConfigVocabulary, schemasDir: string): { config: ResolvedConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const docs = parseChunk(text);
  const doc = docs.find((d) => d.value !== null) ?? docs[0];
  const config: ResolvedConfig = { ...DEFAULT_CONFIG, rules: {}, path };
  if (!doc) return { config, problems };
  for (const p of doc.problems) problems.push({ messageId: 'syntax', message: p.message, span: p.span });
  if (doc.broken) return { config, problems };
  const at = (pointer: string, anchor: Anchor) => spanOf(doc, pointer, anchor);
  if (doc.value === null) return { config, problems };
  if (!isJsonObject(doc.value)) {
    problems.push({ messageId: 'type', message: '.kgov.yaml must be a mapping (see schemas/kgov-config.schema.json).', span: doc.valueSpan });
    return { config, problems };
  }
  const value = doc.value;
  const validate = validator(schemasDir);
  if (!validate(value)) {
    const hasKey = (pointer: string, key: string) => locationOf(valueAt(value, pointer))?.has(key) === true;
    for (const p of schemaProblems(validate.errors ?? [], { label: '.kgov.yaml', base: '', hasKey, sourceText: () => undefined })) {
      problems.push({ messageId: p.messageId, message: p.message, span: at(p.pointer, p.anchor) });
    }
  }
  if (typeof value.extends === 'string' && (PRESET_NAMES as readonly string[]).includes(value.extends)) config.preset = value.extends as PresetName;
  if (typeof value.kubernetesVersion === 'string') {
    const match = /^v?(1\.\d+)/.exec(value.kubernetesVersion);
    if (match && vocabulary.versions.includes(match[1] as string)) config.kubernetesVersion = match[1] as string;
    else problems.push({ messageId: 'version', message: `kgov does not bundle Kubernetes ${value.kubernetesVersion}; use one of ${vocabulary.versions.join(', ')}.`, span: at('/kubernetesVersion', 'value') });
  }
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
  // Glob patterns the matcher refuses (too long, too many {a,b} alternatives) are reported here and left out, so
  // no caller meets them later as an exception.
  const globs = (key: 'ignore' | 'policies') => {
    const list = Array.isArray(value[key]) ? value[key] : [];
    return list.flatMap((pattern, index) => {
      if (typeof pattern !== 'string') return [];
      try {
        compileGlobs([pattern]);
        return [pattern];
      } catch (error) {
        const span = at(joinPointer(`/${key}`, index), 'value');
        // (A pattern over the length limit already has its schema problem here.)
        if (!problems.some((p) => p.span.start === span.start && p.span.end === span.end)) {
          problems.push({ messageId: 'glob', message: `.kgov.yaml ${key}[${index}]: ${error instanceof Error ? error.message : String(error)}.`, span });
        }
        return [];
      }
    });
  };
  config.ignore = globs('ignore');
  config.policies = globs('policies');
  config.nonBypassable = strings(value.nonBypassable);
  if (typeof value.defaultNamespace === 'string') config.defaultNamespace = value.defaultNamespace;
  if (typeof value.crdCatalog === 'boolean') config.crdCatalog = { enabled: value.crdCatalog, exclude: [] };
  else if (isJsonObject(value.crdCatalog)) config.crdCatalog = { enabled: value.crdCatalog.enabled !== false, exclude: strings(value.crdCatalog.exclude) };
  if (isJsonObject(value.scorecard)) {
    const targets: Partial<ScorecardTargets> = {};
    for (const dimension of SCORECARD_DIMENSIONS) {
      const target = value.scorecard[dimension];
      // (The schema reports values out of 0..100; they are left out here, so the defaults apply.)
      if (typeof target === 'number' && target >= 0 && target <= 100) targets[dimension] = target;
    }
    config.scorecard = targets;
  }
  if (typeof value.baseline === 'string' && value.baseline.length > 0) config.baseline = value.baseline;
  if (isJsonObject(value.charts)) {
    // (The schema reports malformed entries; what is left of them is used.)
    const charts: Record<string, ChartValueSet[]> = {};
    for (const [path, sets] of Object.entries(value.charts)) {
      if (!Array.isArray(sets)) continue;
      charts[path.replace(/\/+$/, '') || '.'] = sets.filter(isJsonObject).map((set) => {
        const out: ChartValueSet = { valuesFiles: strings(set.valuesFiles) };
        if (typeof set.name === 'string') out.name = set.name;
        if (isJsonObject(set.set)) out.set = Object.fromEntries(Object.entries(set.set).filter((e): e is [string, string | number | boolean] => ['string', 'number', 'boolean'].includes(typeof e[1])));
        if (typeof set.releaseName === 'string') out.releaseName = set.releaseName;
        if (typeof set.namespace === 'string') out.namespace = set.namespace;
        return out;
      });
    }
    config.charts = charts;
  }
  for (const id of config.nonBypassable) {
    if (!knows(vocabulary, id)) problems.push(unknownRule(id, vocabulary, at(joinPointer('/nonBypassable', config.nonBypassable.indexOf(id)), 'value')));
  }
  if (isJsonObject(value.rules)) {
    for (const [id, setting] of Object.entries(value.rules)) {
      if (!knows(vocabulary, id)) {
        problems.push(unknownRule(id, vocabulary, at(joinPointer('/rules', id), 'key')));
        continue;
      }
      // `off` unquoted is the boolean false in YAML 1.1, as kubectl reads it; both mean off.
      const written = Array.isArray(setting) ? setting[0] : setting;
      const severity = written === false ? 'off' : written;
      const options = Array.isArray(setting) && isJsonObject(setting[1]) ? setting[1] : undefined;
      const entry: RuleSetting = {};
      if (severity === 'off' || severity === 'info' || severity === 'warning' || severity === 'error') entry.severity = severity;
      if (options) {
        const schema = vocabulary.optionsSchema(id);
        const base = joinPointer('/rules', id, 1);
        if (!schema) {
          problems.push({ messageId: 'options', message: `Rule "${id}" takes no options.`, span: at(base, 'key') });
        } else {
          const check = optionsValidator(id, schema);
          if (check(options)) entry.options = options;
          else {
            const hasKey = (pointer: string, key: string) => locationOf(valueAt(value, pointer))?.has(key) === true;
            for (const p of schemaProblems(check.errors ?? [], { label: `Options of ${id}`, base, hasKey, sourceText: () => undefined })) {
              problems.push({ messageId: 'options', message: p.message, span: at(p.pointer, p.anchor) });
            }
          }
        }
      }
      config.rules[id] = entry;
    }
  }
  return { config, problems };
}

function knows(vocabulary: ConfigVocabulary, id: string): boolean {
  return vocabulary.ruleIds.includes(id) || /^(schema|api|yaml)\/\*$/.test(id);
}

function unknownRule(id: string, vocabulary: ConfigVocabulary, span: Span): ConfigProblem {
  const suggestion = closest(id, vocabulary.ruleIds);
  return { messageId: 'unknownRule', message: `Unknown rule "${id}"${suggestion ? `; did you mean "${suggestion}"?` : ' (kgov rules lists them all).'}`, span };
}
