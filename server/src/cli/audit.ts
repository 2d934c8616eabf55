/**
 * `kgov audit`: inputs -> configuration per file (the nearest .kgov.yaml, or --config) -> engine (in process,
 * or in worker threads for large inputs) -> optional fixes -> report.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import {
  configVocabulary, findConfigFile, openProject, PRESET_NAMES, SchemaCatalog, summarize, unifiedDiff, UnknownVersionError, Workspace,
  type Engine, type Finding, type Project,
} from '../engine';
import { schemasDir } from '../host/paths';
import { UsageError, type AuditArgs } from './args';
import { connectCluster } from './cluster';
import { collectInputs, type InputFile } from './inputs';
import { lintInParallel } from './parallel';
import type { AuditReport, FileReport } from './report';

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

  const projects = new Map<string, Project>();
  const projectFor = (configPath: string | undefined): Project => {
    const key = configPath ?? '';
    let project = projects.get(key);
    if (project) return project;
    try {
      // The CLI runs on the user's own checkout: it is trusted (policies load).
      project = openProject(configPath ? { path: configPath, text: readFileSync(configPath, 'utf8') } : undefined, io.cwd, {
        trusted: true, onUnknownVersion: 'throw', rules: args.rules,
        ...(args.kubernetesVersion ? { kubernetesVersion: args.kubernetesVersion } : {}),
        ...(cluster ? { clusterVersion: cluster.facts.version.bundled } : {}),
        ...(args.preset ? { preset: args.preset } : {}),
        ...(args.noCrdCatalog ? { crdCatalog: { enabled: false, exclude: [] } } : {}),
      }, catalog, schemasDir());
    } catch (error) {
      if (error instanceof UnknownVersionError) throw new UsageError(error.message);
      throw error;
    }
    if (project.config.findings.length > 0) throw new ConfigError(configPath as string, project.config.findings);
    projects.set(key, project);
    return project;
  };
  const configFor = (path: string) => (args.config ? args.config : findConfigFile(path === '-' ? io.cwd : dirname(path)));
  if (args.config) projectFor(args.config);

  const isIgnored = (path: string) => projectFor(configFor(path)).ignored(path);
  const inputs = collectInputs(args.paths, isIgnored, io.readStdin, io.cwd);
  const readable = inputs.filter((f): f is InputFile & { text: string } => f.text !== undefined);
  const uri = (f: InputFile) => (f.path === '-' ? '<stdin>' : f.path);
  const projectOf = new Map(readable.map((f) => [f, projectFor(configFor(f.path))]));
  const first = projectOf.get(readable[0] as InputFile & { text: string }) ?? projectFor(configFor(io.cwd));
  const defaultNamespace = first.config.config.defaultNamespace;
  const workspace = new Workspace(defaultNamespace);
  workspace.displayPath = (path) => relative(io.cwd, path) || path;
  // The cluster's CRDs validate custom resources the input set has no CRD for.
  if (cluster) workspace.setExternalKinds(cluster.facts.kinds);

  if (args.fix) {
    for (const f of readable) workspace.setFile(uri(f), (projectOf.get(f) as Project).engine.index(uri(f), f.text));
    for (const f of readable) {
      if (f.path === '-') continue;
      const { text, fixed } = (projectOf.get(f) as Project).engine.fixAll(uri(f), f.text, workspace);
      if (fixed.length === 0) continue;
      const counts = new Map<string, number>();
      for (const x of fixed) counts.set(x.ruleId, (counts.get(x.ruleId) ?? 0) + 1);
      const list = [...counts].map(([id, n]) => (n > 1 ? `${id} x${n}` : id)).join(', ');
      if (args.dryRun) io.stderr(unifiedDiff(f.display, f.text, text));
      else writeFileSync(f.path, text);
      io.stderr(`${args.dryRun ? 'would fix' : 'fixed'} ${f.display}: ${fixed.length} ${fixed.length === 1 ? 'fix' : 'fixes'} (${list})\n`);
      if (!args.dryRun) {
        f.text = text;
        workspace.setFile(uri(f), (projectOf.get(f) as Project).engine.index(uri(f), text));
      }
    }
  }

  const results = new Map<InputFile, { documents: number; findings: Finding[] }>();
  const bytes = readable.reduce((n, f) => n + f.text.length, 0);
  // Workers build their own workspaces from the files: the cluster's CRDs would not reach them.
  if (!args.fix && !cluster && args.jobs > 1 && bytes >= PARALLEL_THRESHOLD_BYTES && readable.length >= 2 * args.jobs) {
    const keys = new Map([...projects.values()].map((g, i) => [g, String(i)]));
    const engines = Object.fromEntries([...keys].map(([g, k]) => [k, g.options]));
    const files = readable.map((f) => ({ path: uri(f), text: f.text, engine: keys.get(projectOf.get(f) as Project) as string }));
    try {
      const linted = await lintInParallel(io.entry, engines, files, args.jobs, defaultNamespace, io.cwd);
      readable.forEach((f, i) => results.set(f, linted[i] as { documents: number; findings: Finding[] }));
    } catch (error) {
      // The audit must not be lost to a worker: check everything here instead (each file guarded by the engine).
      io.stderr(`kgov: worker threads failed (${error instanceof Error ? error.message : String(error)}); checking in one thread instead\n`);
    }
  }
  if (results.size === 0) {
    for (const f of readable) workspace.setFile(uri(f), (projectOf.get(f) as Project).engine.index(uri(f), f.text));
    for (const f of readable) {
      const engine = (projectOf.get(f) as Project).engine;
      const result = engine.lintFile(uri(f), f.text, workspace);
      // SARIF carries fixes as text edits.
      for (const finding of result.findings) if (finding.fix) finding.fix.edits = safeEdits(engine, f.text, finding);
      results.set(f, { documents: result.documents, findings: result.findings });
    }
  }

  if (cluster) {
    const counts = { accepted: 0, rejected: 0, skipped: 0 };
    for (const f of readable) {
      const dry = await cluster.dryRun(uri(f), f.text, (projectOf.get(f) as Project).engine);
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
