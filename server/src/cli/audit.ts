/**
 * `kgov audit`: inputs -> configuration per file (the nearest .kgov.yaml, or --config) -> engine (in process,
 * or in worker threads for large inputs) -> optional fixes -> report.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import {
  configVocabulary, createBaseline, fileBudgets, fileChecklist, findConfigFile, linkBudgets, fingerprintsOf, matchBaseline, openProject, PRESET_NAMES,
  ruleCategories, SchemaCatalog, scorecard, summarize, unifiedDiff, UnknownVersionError, upgradeReadiness, Workspace,
  type UpgradeResource, type Baseline, type BaselineFile, type BudgetChecklist, type Engine, type Finding, type FindingFingerprint, type Project, type WorkloadChecklist,
} from '../engine';
import { loadBaselineFile } from '../host/baseline';
import { schemasDir } from '../host/paths';
import { UsageError, type AuditArgs } from './args';
import { connectCluster } from './cluster';
import { collectInputs, type InputFile } from './inputs';
import { lintInParallel } from './parallel';
import { addRenderedReports, planRendering } from './render';
import { TOOL, type AuditReport, type FileReport } from './report';

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
  // Every file and folder asks (for ignores, then for its project): one look-up per folder, the disk being as it was.
  const configOfFolder = new Map<string, string | undefined>();
  const configFor = (path: string) => {
    if (args.config) return args.config;
    const folder = path === '-' ? io.cwd : dirname(path);
    if (!configOfFolder.has(folder)) configOfFolder.set(folder, findConfigFile(folder));
    return configOfFolder.get(folder);
  };
  if (args.config) projectFor(args.config);

  // A baseline is JSON that names apiVersions: found by walking, it would be audited as a manifest.
  const isBaselineFile = (path: string, project: Project) => [args.baseline, args.writeBaseline].some((p) => p !== undefined && resolve(io.cwd, p) === path)
    || (project.config.config.baseline !== undefined && resolve(project.root, project.config.config.baseline) === path);
  const isIgnored = (path: string) => {
    const project = projectFor(configFor(path));
    return isBaselineFile(path, project) || project.ignored(path);
  };
  // Charts are rendered rather than read as YAML (docs/helm-kustomize.md).
  const rendering = await planRendering(args, io.cwd, isIgnored, io.stderr);
  const inputs = collectInputs(args.paths, (path) => isIgnored(path) || rendering.covers(path), io.readStdin, io.cwd);
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

  // .kgov.yaml's `baseline:` (of the configuration that applies to the first input, like the default namespace).
  const baselinePath = args.baseline !== undefined ? resolve(io.cwd, args.baseline)
    : first.config.config.baseline !== undefined && args.writeBaseline === undefined ? resolve(first.root, first.config.config.baseline) : undefined;
  const extras = {
    fingerprints: baselinePath !== undefined || args.writeBaseline !== undefined, checklists: args.format === 'markdown' || args.format === 'html',
    fixEdits: args.format === 'sarif',
  };
  const baseline = baselinePath !== undefined ? readBaseline(baselinePath, args.baseline !== undefined ? '--baseline' : '.kgov.yaml baseline') : undefined;

  type Result = { documents: number; findings: Finding[]; fingerprints?: FindingFingerprint[]; checklists?: WorkloadChecklist[]; budgets?: BudgetChecklist[] };
  const results = new Map<InputFile, Result>();
  const bytes = readable.reduce((n, f) => n + f.text.length, 0);
  // Workers build their own workspaces from the files: the cluster's CRDs would not reach them.
  if (!args.fix && !cluster && args.jobs > 1 && bytes >= PARALLEL_THRESHOLD_BYTES && readable.length >= 2 * args.jobs) {
    const keys = new Map([...projects.values()].map((g, i) => [g, String(i)]));
    const engines = Object.fromEntries([...keys].map(([g, k]) => [k, g.options]));
    const files = readable.map((f) => ({ path: uri(f), text: f.text, engine: keys.get(projectOf.get(f) as Project) as string }));
    try {
      const linted = await lintInParallel(io.entry, engines, files, args.jobs, defaultNamespace, io.cwd, extras);
      readable.forEach((f, i) => results.set(f, linted[i] as Result));
    } catch (error) {
      // The audit must not be lost to a worker: check everything here instead (each file guarded by the engine).
      io.stderr(`kgov: worker threads failed (${error instanceof Error ? error.message : String(error)}); checking in one thread instead\n`);
    }
  }
  if (results.size === 0) {
    for (const f of readable) workspace.setFile(uri(f), (projectOf.get(f) as Project).engine.index(uri(f), f.text));
    for (const f of readable) {
      const engine = (projectOf.get(f) as Project).engine;
      const result = engine.lintFile(uri(f), f.text, workspace, undefined, { outcomes: extras.checklists });
      // SARIF carries fixes as text edits (made only for it: the other formats say `fixable`).
      if (extras.fixEdits) for (const finding of result.findings) if (finding.fix) finding.fix.edits = safeEdits(engine, f.text, finding);
      const out: Result = { documents: result.documents, findings: result.findings };
      if (extras.checklists) {
        const namespaceOf = (ns: string | undefined) => ns ?? defaultNamespace;
        out.checklists = fileChecklist(engine, result, namespaceOf);
        out.budgets = fileBudgets(engine, result, namespaceOf);
      }
      results.set(f, out);
    }
  }

  if (cluster) {
    const counts = { accepted: 0, rejected: 0, skipped: 0 };
    for (const f of readable) {
      const dry = await cluster.dryRun(uri(f), f.text, (projectOf.get(f) as Project).engine);
      const result = results.get(f) as Result;
      result.findings.push(...dry.findings);
      // The API server's findings are fingerprinted like the others (cluster runs never use workers).
      if (extras.fingerprints) result.fingerprints = fingerprintsOf((projectOf.get(f) as Project).engine.analyze(uri(f), f.text), result.findings);
      for (const note of dry.notes) io.stderr(`kgov: ${f.display}: ${note}\n`);
      for (const k of ['accepted', 'rejected', 'skipped'] as const) counts[k] += dry.counts[k];
    }
    io.stderr(`kgov: server-side dry run: ${counts.accepted} accepted, ${counts.rejected} rejected, ${counts.skipped} skipped\n`);
  }

  const files: FileReport[] = inputs.map((f) => {
    const result = results.get(f) ?? { documents: 0, findings: [unreadable(f)] };
    if (extras.fingerprints && !result.fingerprints) {
      const readableFile = f.text !== undefined ? projectOf.get(f as InputFile & { text: string }) : undefined;
      result.fingerprints = readableFile && f.text !== undefined ? fingerprintsOf(readableFile.engine.analyze(uri(f), f.text), result.findings)
        : fingerprintsOf({ text: '', documents: [] }, result.findings);
    }
    // Sorted together, so fingerprints stay beside their findings.
    const order = result.findings.map((_, i) => i).sort((a, b) => byPosition(result.findings[a] as Finding, result.findings[b] as Finding) || a - b);
    const report: FileReport = { path: f.path, display: f.display, documents: result.documents, findings: order.map((i) => result.findings[i] as Finding) };
    if (result.fingerprints) report.fingerprints = order.map((i) => (result.fingerprints as FindingFingerprint[])[i] as FindingFingerprint);
    return report;
  });
  await addRenderedReports(files, rendering, (path) => projectFor(configFor(path)), workspace, io.cwd, io.stderr);
  const report: AuditReport = { kubernetesVersion: first.engine.kubernetesVersion, files, summary: summarize(files, performance.now() - started) };

  const baselineFolder = dirname(args.writeBaseline !== undefined ? resolve(io.cwd, args.writeBaseline) : baselinePath ?? io.cwd);
  const baselineFiles = (): BaselineFile[] => files.map((f) => ({
    path: f.path === '-' ? '<stdin>' : relative(baselineFolder, f.path).split('\\').join('/'), findings: f.findings, fingerprints: f.fingerprints ?? [],
  }));
  if (args.writeBaseline !== undefined) {
    const written = createBaseline(baselineFiles(), `${TOOL.name} ${TOOL.version}`);
    writeFileSync(resolve(io.cwd, args.writeBaseline), `${JSON.stringify(written, null, 2)}\n`);
    const recorded = written.findings.reduce((n, e) => n + (e.count ?? 1), 0);
    io.stderr(`kgov: recorded ${recorded} ${recorded === 1 ? 'finding' : 'findings'} in ${args.writeBaseline}\n`);
    report.baselineWritten = { path: args.writeBaseline, findings: recorded };
  } else if (baseline && baselinePath !== undefined) {
    const match = matchBaseline(baseline, baselineFiles());
    files.forEach((f, i) => { f.baselineStates = match.states[i] as FileReport['baselineStates']; });
    report.baseline = { path: args.baseline ?? (relative(io.cwd, baselinePath) || baselinePath), new: match.new, unchanged: match.unchanged, fixed: match.fixed };
  }

  // Upgrade readiness (features/upgrade.ts) for the formats that show it, for the target of the report.
  let upgradeResources: UpgradeResource[] = [];
  if (args.format === 'text' || extras.checklists) {
    // The workspace holds every file unless workers linted them: then they are indexed here (parsed, not checked).
    const indexed = workspace.resources().length > 0 ? workspace.resources() : readable.flatMap((f) => (projectOf.get(f) as Project).engine.index(uri(f), f.text));
    upgradeResources = indexed.filter((r) => !r.kustomization && r.apiVersion && r.kind).map((r) => ({
      uri: r.uri, apiVersion: r.apiVersion as string, kind: r.kind as string, ...(r.name !== undefined ? { name: r.name } : {}),
      namespace: workspace.namespaceOf(r), range: { start: { line: r.line, character: 0 }, end: { line: r.line, character: 0 } },
    }));
    report.upgrade = upgradeReadiness(first.engine.catalog, upgradeResources, report.kubernetesVersion);
  }

  if (extras.checklists) {
    const workloads = readable.flatMap((f) => results.get(f)?.checklists ?? []);
    // Budgets cover workloads of other files: linked once every file is read (as the editor's checklist does).
    linkBudgets(workloads, readable.flatMap((f) => results.get(f)?.budgets ?? []));
    const categories = ruleCategories([...projects.values()].map((p) => p.engine));
    report.scorecard = scorecard({
      kubernetesVersion: report.kubernetesVersion, workloads, upgrade: { catalog: first.engine.catalog, resources: upgradeResources },
      categoryOf: (id) => categories.get(id) ?? builtinCategory(id),
      ...(first.config.config.scorecard ? { targets: first.config.config.scorecard } : {}),
    });
  }
  return report;
}

/** The category of a finding id that no rule declares (schema/, api/, yaml/ ids are named by their category). */
function builtinCategory(id: string): string | undefined {
  const slash = id.indexOf('/');
  return slash > 0 ? id.slice(0, slash) : undefined;
}

function readBaseline(path: string, source: string): Baseline {
  const loaded = loadBaselineFile(path);
  if ('error' in loaded) throw new UsageError(`${source}: ${loaded.error}${loaded.error.startsWith('cannot read') ? '; kgov audit --write-baseline FILE writes one' : ''}`);
  return loaded.baseline;
}

function safeEdits(engine: Engine, text: string, finding: Finding) {
  try {
    return engine.fixEdits(text, finding);
  } catch {
    return [];
  }
}
