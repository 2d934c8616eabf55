/**
 * Baselines (docs/baselines.md): today's findings recorded so that only new ones are reported. A finding is
 * recorded by its rule, the identity of its resource (apiVersion, kind, namespace and name as written) and a
 * fingerprint of the offending node that holds no line number: its pointer, with list items named by their `name`
 * where they have one (a container inserted above does not renumber the others), and its content (the scalar's
 * value, else the text of the key or value the finding points at). Moving a resource within its file, to another
 * file, or reformatting around it keeps the finding baselined; changing the offending value makes it new.
 * The adapters read and write the file; this module only turns findings into entries and matches them.
 */
import { createHash } from 'node:crypto';
import type { AnalyzedFile } from '../lint/resources';
import { isJsonObject, type Finding } from '../types';
import { parsePointer } from '../util/pointer';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  ruleId: string;
  /** The resource as written in the manifest (no default namespace applied); empty for findings outside one. */
  resource: { apiVersion?: string; kind?: string; namespace?: string; name?: string };
  /** The file, relative to the baseline file's folder, with forward slashes: matched first, but not required. */
  path: string;
  /** The offending node, line-free (see fingerprintOf); for people reading the baseline. */
  pointer: string;
  /** 16 hex digits of the SHA-256 of the line-free pointer and the node's content. */
  fingerprint: string;
  /** How many identical findings the file had (absent: one). */
  count?: number;
}

export interface Baseline {
  version: typeof BASELINE_VERSION;
  /** The tool that wrote it, e.g. "kgov 0.1.0" (informative). */
  generatedBy?: string;
  findings: BaselineEntry[];
}

export interface FindingFingerprint {
  /** The finding's pointer with list items named where they have a name. */
  pointer: string;
  fingerprint: string;
}

/** A finding's state against a baseline (SARIF's baselineState): reported as usual, or recorded in the baseline. */
export type BaselineState = 'new' | 'unchanged';

export interface BaselineFile {
  /** Relative to the baseline file's folder, forward slashes. */
  path: string;
  findings: readonly Finding[];
  /** fingerprintsOf(file, findings): one per finding, same order. */
  fingerprints: readonly FindingFingerprint[];
}

export interface BaselineMatch {
  /** Per file and finding (same order as given): its state; undefined for waived findings, which a baseline leaves alone. */
  states: Array<Array<BaselineState | undefined>>;
  new: number;
  unchanged: number;
  /** Recorded findings that no current finding matched: fixed (or no longer reported). */
  fixed: number;
}

export class BaselineError extends Error {}

/** `/spec/containers/1/image` -> `/spec/containers/name=web/image` where item 1 has `name: web`. */
function namedPointer(root: unknown, pointer: string): string {
  let node = root;
  let out = '';
  for (const segment of parsePointer(pointer)) {
    let written = segment;
    if (Array.isArray(node)) {
      const item: unknown = node[Number(segment)];
      if (isJsonObject(item) && typeof item.name === 'string') written = `name=${item.name}`;
      node = item;
    } else node = isJsonObject(node) ? node[segment] : undefined;
    out += `/${written.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  }
  return out;
}

/** The line-free pointer and fingerprint of each finding of a linted file (same order). */
export function fingerprintsOf(file: Pick<AnalyzedFile, 'text' | 'documents'>, findings: readonly Finding[]): FindingFingerprint[] {
  return findings.map((finding) => {
    const doc = file.documents[finding.docIndex];
    const root = doc?.value;
    const pointer = namedPointer(root, finding.pointer);
    let node: unknown = root;
    for (const segment of parsePointer(finding.pointer)) {
      node = Array.isArray(node) ? node[Number(segment)] : isJsonObject(node) ? node[segment] : undefined;
    }
    // A scalar by its value (quoting, comments and line breaks do not matter); anything else by the text the
    // finding points at (a key, a missing property's parent key, a resource's name), spaces collapsed.
    const content = node === null || ['string', 'number', 'boolean'].includes(typeof node)
      ? JSON.stringify(node)
      : file.text.slice(finding.span.start, finding.span.end).replace(/\s+/g, ' ').trim();
    const fingerprint = createHash('sha256').update(JSON.stringify([pointer, content])).digest('hex').slice(0, 16);
    return { pointer, fingerprint };
  });
}

function identityKey(ruleId: string, resource: BaselineEntry['resource'] | undefined, fingerprint: string): string {
  return JSON.stringify([ruleId, resource?.apiVersion ?? '', resource?.kind ?? '', resource?.namespace ?? '', resource?.name ?? '', fingerprint]);
}

function resourceOf(finding: Finding): BaselineEntry['resource'] {
  const r = finding.resource;
  const out: BaselineEntry['resource'] = {};
  if (r?.apiVersion) out.apiVersion = r.apiVersion;
  if (r?.kind) out.kind = r.kind;
  if (r?.namespace) out.namespace = r.namespace;
  if (r?.name) out.name = r.name;
  return out;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The baseline of these files' findings (waived ones are not recorded): sorted, so the same findings give the same file. */
export function createBaseline(files: readonly BaselineFile[], generatedBy?: string): Baseline {
  const entries = new Map<string, BaselineEntry>();
  for (const file of files) {
    file.findings.forEach((finding, i) => {
      if (finding.suppressed) return;
      const { pointer, fingerprint } = file.fingerprints[i] as FindingFingerprint;
      const resource = resourceOf(finding);
      const key = `${file.path}\u0000${identityKey(finding.ruleId, resource, fingerprint)}`;
      const known = entries.get(key);
      if (known) known.count = (known.count ?? 1) + 1;
      else entries.set(key, { ruleId: finding.ruleId, resource, path: file.path, pointer, fingerprint });
    });
  }
  const findings = [...entries.values()].sort((a, b) => compare(a.path, b.path) || compare(a.resource.kind ?? '', b.resource.kind ?? '')
    || compare(a.resource.namespace ?? '', b.resource.namespace ?? '') || compare(a.resource.name ?? '', b.resource.name ?? '')
    || compare(a.ruleId, b.ruleId) || compare(a.pointer, b.pointer) || compare(a.fingerprint, b.fingerprint));
  return { version: BASELINE_VERSION, ...(generatedBy ? { generatedBy } : {}), findings };
}

/**
 * Marks each finding new or unchanged. Recorded findings are counted, so two identical findings where the baseline
 * has one leave one new. A finding matches an entry of its own file first, then one of any file (the resource
 * moved); what is left of the baseline was fixed.
 */
export function matchBaseline(baseline: Baseline, files: readonly BaselineFile[]): BaselineMatch {
  // identity -> path -> how many are left to match
  const remaining = new Map<string, Map<string, number>>();
  for (const entry of baseline.findings) {
    const key = identityKey(entry.ruleId, entry.resource, entry.fingerprint);
    const byPath = remaining.get(key) ?? new Map<string, number>();
    byPath.set(entry.path, (byPath.get(entry.path) ?? 0) + (entry.count ?? 1));
    remaining.set(key, byPath);
  }
  const states = files.map((file) => file.findings.map((f) => (f.suppressed ? undefined : 'new' as BaselineState)));
  const keys = files.map((file) => file.findings.map((f, i) => identityKey(f.ruleId, resourceOf(f), (file.fingerprints[i] as FindingFingerprint).fingerprint)));
  const take = (key: string, path: string | undefined): boolean => {
    const byPath = remaining.get(key);
    if (!byPath) return false;
    const from = path !== undefined ? ((byPath.get(path) ?? 0) > 0 ? path : undefined) : [...byPath.keys()].sort(compare).find((p) => (byPath.get(p) ?? 0) > 0);
    if (from === undefined) return false;
    byPath.set(from, (byPath.get(from) as number) - 1);
    return true;
  };
  for (const anyFile of [false, true]) {
    files.forEach((file, f) => {
      (states[f] as Array<BaselineState | undefined>).forEach((state, i) => {
        if (state === 'new' && take((keys[f] as string[])[i] as string, anyFile ? undefined : file.path)) (states[f] as Array<BaselineState | undefined>)[i] = 'unchanged';
      });
    });
  }
  let unchanged = 0;
  let fresh = 0;
  for (const state of states.flat()) {
    if (state === 'unchanged') unchanged++;
    else if (state === 'new') fresh++;
  }
  let fixed = 0;
  for (const byPath of remaining.values()) for (const n of byPath.values()) fixed += n;
  return { states, new: fresh, unchanged, fixed };
}

/** Reads a baseline file's text; throws BaselineError saying what is wrong. */
export function parseBaseline(text: string): Baseline {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BaselineError(`not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isJsonObject(value)) throw new BaselineError('not a JSON object');
  if (value.version !== BASELINE_VERSION) throw new BaselineError(`version ${JSON.stringify(value.version)} is not one this kgov reads (${BASELINE_VERSION})`);
  if (!Array.isArray(value.findings)) throw new BaselineError('"findings" is not a list');
  const findings = value.findings.map((entry, i): BaselineEntry => {
    const where = `findings[${i}]`;
    if (!isJsonObject(entry)) throw new BaselineError(`${where} is not an object`);
    const { ruleId, resource, path, pointer, fingerprint, count } = entry;
    if (typeof ruleId !== 'string' || ruleId === '') throw new BaselineError(`${where}.ruleId is not a rule id`);
    if (typeof fingerprint !== 'string' || !/^[0-9a-f]{16}$/.test(fingerprint)) throw new BaselineError(`${where}.fingerprint is not 16 hex digits`);
    if (typeof path !== 'string') throw new BaselineError(`${where}.path is not a string`);
    if (pointer !== undefined && typeof pointer !== 'string') throw new BaselineError(`${where}.pointer is not a string`);
    if (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 1)) throw new BaselineError(`${where}.count is not a whole number from 1`);
    if (resource !== undefined && !isJsonObject(resource)) throw new BaselineError(`${where}.resource is not an object`);
    const identity: BaselineEntry['resource'] = {};
    for (const field of ['apiVersion', 'kind', 'namespace', 'name'] as const) {
      const v = resource?.[field];
      if (v === undefined) continue;
      if (typeof v !== 'string') throw new BaselineError(`${where}.resource.${field} is not a string`);
      if (v !== '') identity[field] = v;
    }
    return { ruleId, resource: identity, path, pointer: pointer ?? '', fingerprint, ...(count !== undefined && count > 1 ? { count } : {}) };
  });
  return { version: BASELINE_VERSION, ...(typeof value.generatedBy === 'string' ? { generatedBy: value.generatedBy } : {}), findings };
}
