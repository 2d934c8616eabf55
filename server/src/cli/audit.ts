/**
 * `kgov audit`: inputs -> configuration per file (the nearest .kgov.yaml, or --config) -> engine (in process,
 * or in worker threads for large inputs) -> optional fixes -> report.
 */
import { writeFileSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import { configVocabulary, defaultConfig, findConfigFile, loadConfigFile, type LoadedConfig } from '../engine/config/load';
import { unifiedDiff } from '../engine/fix/diff';
import { createEngine, UnknownVersionError, type Engine, type EngineOptions } from '../engine/engine';
import { compileGlobs } from '../engine/config/glob';
import { PRESET_NAMES, type PresetName } from '../engine/config/presets';
import { SchemaCatalog } from '../engine/schema/catalog';
import type { Finding } from '../engine/types';
import { Workspace } from '../engine/workspace';
import { schemasDir } from '../host/paths';
import { UsageError, type AuditArgs } from './args';
import { connectCluster } from './cluster';
import { collectInputs, type InputFile } from './inputs';
import { lintInParallel } from './parallel';
import { summarize, type AuditReport, type FileReport } from './report';

/** Below this much input, starting worker threads costs more than it saves. */
const PARALLEL_THRESHOLD_BYTES = 512 * 1024;

export interface AuditIo {
  cwd: string;
  readStdin: () => string;
  /** The CLI bundle's own path: workers run it. */
  entry: string;
  stderr: (text: string) => void;
}

/** A configuration error: reported with its findings, exit code 2. */
export class ConfigError extends Error {
  constructor(readonly path: string, readonly findings: Finding[]) {
    super(`invalid configuration in ${path}`);
  }
}

function unreadable(file: InputFile): Finding {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return {
    ruleId: 'yaml/encoding', messageId: 'encoding', message: file.problem ?? 'The file cannot be read.', severity: 'error',
    docIndex: 0, pointer: '', span: { start: 0, end: 0 }, range, fixable: false,
  };
}

function byPosition(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.ruleId.localeCompare(b.ruleId);
}

interface ConfigGroup {
  loaded: LoadedConfig;
  options: EngineOptions;
  engine: Engine;
  /** Relative-path matcher for the config's `ignore` patterns. */
  ignored: (path: string) => boolean;
  root: string;
}

export async function audit(args: AuditArgs, io: AuditIo): Promise<AuditReport> {
  const started = performance.now();
  if (args.preset && !(PRESET_NAMES as readonly string[]).includes(args.preset)) {
    throw new UsageError(`unknown preset "${args.preset}" (presets: ${PRESET_NAMES.join(', ')})`);
  }
  const catalog = new SchemaCatalog(schemasDir());
  const known = configVocabulary(catalog).ruleIds;
  for (const rule of args.rules) {
    if (!known.includes(rule.id) && !/^(schema|api|yaml|cluster)\/\*$/.test(rule.id)) throw new UsageError(`unknown rule "${rule.id}" (kgov rules lists them)`);
  }
  const cluster = args.context !== undefined ? await connectCluster(args.context, catalog.versions) : undefined;
  if (cluster) io.stderr(`kgov: cluster ${cluster.summary}\n`);

  const groups = new Map<string, ConfigGroup>();
  const groupFor = (configPath: string | undefined): ConfigGroup => {
    const key = configPath ?? '';
    let group = groups.get(key);
    if (group) return group;
    // The CLI runs on the user's own checkout: it is trusted (policies load).
    const loaded = configPath ? loadConfigFile(configPath, catalog, schemasDir(), true) : defaultConfig();
    if (loaded.findings.length > 0) throw new ConfigError(configPath as string, loaded.findings);
    const options: EngineOptions = {
      schemasDir: schemasDir(), config: loaded.config, ruleOverrides: args.rules, policyFiles: loaded.policyFiles,
      // --kubernetes-version, then .kgov.yaml's (the engine's default), then the cluster's.
      ...(args.kubernetesVersion ? { kubernetesVersion: args.kubernetesVersion }
        : cluster && !loaded.config.kubernetesVersion ? { kubernetesVersion: cluster.facts.version.bundled } : {}),
      ...(args.preset ? { preset: args.preset as PresetName } : {}),
    };
    let engine: Engine;
    try {
      engine = createEngine(options, catalog);
    } catch (error) {
      if (error instanceof UnknownVersionError) throw new UsageError(error.message);
      throw error;
    }
    options.kubernetesVersion = engine.kubernetesVersion;
    const root = configPath ? dirname(configPath) : io.cwd;
    const matcher = loaded.config.ignore.length > 0 ? compileGlobs(loaded.config.ignore) : () => false;
    group = { loaded, options, engine, root, ignored: (path) => path.startsWith(root + sep) && matcher(relative(root, path).split(sep).join('/')) };
    groups.set(key, group);
    return group;
  };
  const configFor = (path: string) => (args.config ? args.config : findConfigFile(path === '-' ? io.cwd : dirname(path)));
  if (args.config) groupFor(args.config);

  const isIgnored = (path: string) => groupFor(configFor(path)).ignored(path);
  const inputs = collectInputs(args.paths, isIgnored, io.readStdin, io.cwd);
  const readable = inputs.filter((f): f is InputFile & { text: string } => f.text !== undefined);
  const uri = (f: InputFile) => (f.path === '-' ? '<stdin>' : f.path);
  const groupOf = new Map(readable.map((f) => [f, groupFor(configFor(f.path))]));
  const first = groupOf.get(readable[0] as InputFile & { text: string }) ?? groupFor(configFor(io.cwd));
  const defaultNamespace = first.loaded.config.defaultNamespace;
  const workspace = new Workspace(defaultNamespace);
  workspace.displayPath = (path) => relative(io.cwd, path) || path;
  // The cluster's CRDs validate custom resources the input set has no CRD for.
  if (cluster) workspace.setExternalKinds(cluster.facts.kinds);

  if (args.fix) {
    for (const f of readable) workspace.setFile(uri(f), (groupOf.get(f) as ConfigGroup).engine.index(uri(f), f.text));
    for (const f of readable) {
      if (f.path === '-') continue;
      const { text, fixed } = (groupOf.get(f) as ConfigGroup).engine.fixAll(uri(f), f.text, workspace);
      if (fixed.length === 0) continue;
      const counts = new Map<string, number>();
      for (const x of fixed) counts.set(x.ruleId, (counts.get(x.ruleId) ?? 0) + 1);
      const list = [...counts].map(([id, n]) => (n > 1 ? `${id} x${n}` : id)).join(', ');
      if (args.dryRun) io.stderr(unifiedDiff(f.display, f.text, text));
      else writeFileSync(f.path, text);
      io.stderr(`${args.dryRun ? 'would fix' : 'fixed'} ${f.display}: ${fixed.length} ${fixed.length === 1 ? 'fix' : 'fixes'} (${list})\n`);
      if (!args.dryRun) {
        f.text = text;
        workspace.setFile(uri(f), (groupOf.get(f) as ConfigGroup).engine.index(uri(f), text));
      }
    }
  }

  const results = new Map<InputFile, { documents: number; findings: Finding[] }>();
  const bytes = readable.reduce((n, f) => n + f.text.length, 0);
  // Workers build their own workspaces from the files: the cluster's CRDs would not reach them.
  if (!args.fix && !cluster && args.jobs > 1 && bytes >= PARALLEL_THRESHOLD_BYTES && readable.length >= 2 * args.jobs) {
    const keys = new Map([...groups.values()].map((g, i) => [g, String(i)]));
    const engines = Object.fromEntries([...keys].map(([g, k]) => [k, g.options]));
    const files = readable.map((f) => ({ path: uri(f), text: f.text, engine: keys.get(groupOf.get(f) as ConfigGroup) as string }));
    try {
      const linted = await lintInParallel(io.entry, engines, files, args.jobs, defaultNamespace, io.cwd);
      readable.forEach((f, i) => results.set(f, linted[i] as { documents: number; findings: Finding[] }));
    } catch (error) {
      // The audit must not be lost to a worker: check everything here instead (each file guarded by the engine).
      io.stderr(`kgov: worker threads failed (${error instanceof Error ? error.message : String(error)}); checking in one thread instead\n`);
    }
  }
  if (results.size === 0) {
    for (const f of readable) workspace.setFile(uri(f), (groupOf.get(f) as ConfigGroup).engine.index(uri(f), f.text));
    for (const f of readable) {
      const engine = (groupOf.get(f) as ConfigGroup).engine;
      const result = engine.lintFile(uri(f), f.text, workspace);
      // SARIF carries fixes as text edits.
      for (const finding of result.findings) if (finding.fix) finding.fix.edits = safeEdits(engine, f.text, finding);
      results.set(f, { documents: result.documents, findings: result.findings });
    }
  }

  if (cluster) {
    const counts = { accepted: 0, rejected: 0, skipped: 0 };
    for (const f of readable) {
      const dry = await cluster.dryRun(uri(f), f.text, (groupOf.get(f) as ConfigGroup).engine);
      (results.get(f) as { findings: Finding[] }).findings.push(...dry.findings);
      for (const note of dry.notes) io.stderr(`kgov: ${f.display}: ${note}\n`);
      for (const k of ['accepted', 'rejected', 'skipped'] as const) counts[k] += dry.counts[k];
    }
    io.stderr(`kgov: server-side dry run: ${counts.accepted} accepted, ${counts.rejected} rejected, ${counts.skipped} skipped\n`);
  }

  const files: FileReport[] = inputs.map((f) => {
    const result = results.get(f) ?? { documents: 0, findings: [unreadable(f)] };
    return { path: f.path, display: f.display, documents: result.documents, findings: [...result.findings].sort(byPosition) };
  });
  return { kubernetesVersion: first.engine.kubernetesVersion, files, summary: summarize(files, performance.now() - started) };
}

function safeEdits(engine: Engine, text: string, finding: Finding) {
  try {
    return engine.fixEdits(text, finding);
  } catch {
    return [];
  }
}
