/**
 * `kgov audit` of Helm charts and kustomize overlays: the folders among the inputs that are charts (Chart.yaml)
 * are rendered with helm (`--helm PATH`, else `helm` on PATH) instead of being read as YAML; kustomize roots are
 * rendered when `--kubectl PATH` or `--kustomize PATH` says with what, in addition to today's checks of their
 * files. Findings are reported on the templates, values files, resources and patches that wrote them.
 */
import { statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Finding, Project, Workspace } from '../engine';
import {
  auditChart, auditKustomization, DEFAULT_VALUE_SET, findCharts, findKustomizeRoots, runTool, valueSetsFor, type KustomizeTool, type RenderOutcome,
} from '../host/render';
import type { AuditArgs } from './args';
import type { FileReport } from './report';

export interface RenderPlan {
  charts: string[];
  kustomizations: string[];
  helm: string;
  kustomize?: KustomizeTool;
  /** Is this path part of a chart that is rendered (so it is not read as a manifest)? */
  covers(path: string): boolean;
}

/**
 * Finds the charts (and, with a kustomize tool, the kustomize roots) under the audited folders. Charts are
 * rendered only when helm can be started; otherwise their templates keep today's `yaml/template` info.
 */
export async function planRendering(args: AuditArgs, cwd: string, isIgnored: (path: string) => boolean, stderr: (text: string) => void): Promise<RenderPlan> {
  const folders = args.paths.filter((p) => p !== '-').map((p) => resolve(cwd, p)).filter((p) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  });
  // A path the user wrote is relative to where kgov runs (the tools run in each chart's folder); a bare name is
  // looked up on PATH.
  const tool = (path: string) => (path.includes('/') || path.includes(sep) ? resolve(cwd, path) : path);
  const helm = tool(args.helm ?? 'helm');
  let charts = args.noRender ? [] : [...new Set(folders.flatMap((f) => findCharts(f, isIgnored)))];
  if (charts.length > 0) {
    const probe = await runTool(helm, ['version', '--short'], cwd, 10_000);
    if (probe.notFound || probe.code !== 0) {
      stderr(`kgov: helm was not found at "${helm}" (use --helm PATH); chart templates are not rendered\n`);
      charts = [];
    }
  }
  const kustomize: KustomizeTool | undefined = args.noRender ? undefined
    : args.kustomize ? { path: tool(args.kustomize), kind: 'kustomize' } : args.kubectl ? { path: tool(args.kubectl), kind: 'kubectl' } : undefined;
  const kustomizations = kustomize ? findKustomizeRoots(folders, isIgnored, charts) : [];
  const chartPrefixes = charts.map((c) => c + sep);
  return { charts, kustomizations, helm, ...(kustomize ? { kustomize } : {}), covers: (path) => chartPrefixes.some((p) => path.startsWith(p)) };
}

/**
 * Renders every planned chart and overlay and adds their findings to `files`: to the report of a file already
 * audited as plain YAML (a kustomize base), without repeating what that check found, or as new file reports.
 */
export async function addRenderedReports(files: FileReport[], plan: RenderPlan, projectFor: (path: string) => Project, workspace: Workspace, cwd: string, stderr: (text: string) => void): Promise<void> {
  const reports = new Map<string, FileReport>(files.map((f) => [f.path, f]));
  const created = new Set<FileReport>();
  const collect = (outcome: RenderOutcome) => {
    if (outcome.note) stderr(`kgov: ${outcome.note}\n`);
    for (const file of outcome.files) {
      let report = reports.get(file.path);
      if (!report) {
        report = { path: file.path, display: relative(cwd, file.path) || file.path, documents: file.documents, findings: [] };
        files.push(report);
        created.add(report);
        reports.set(file.path, report);
      }
      const known = new Set(report.findings.map(keyOf));
      report.findings.push(...file.findings.filter((f) => !known.has(keyOf(f))));
    }
  };
  for (const chart of plan.charts) {
    const project = projectFor(join(chart, 'Chart.yaml'));
    const sets = valueSetsFor(chart, project);
    collect(await auditChart(plan.helm, chart, sets.length > 0 ? sets : [DEFAULT_VALUE_SET], project.engine, workspace));
  }
  if (plan.kustomize) {
    // Files whose resources an overlay rendered, with the required-field findings of the rendered objects.
    const rendered = new Map<string, Set<string>>();
    for (const dir of plan.kustomizations) {
      const project = projectFor(join(dir, 'kustomization.yaml'));
      const outcome = await auditKustomization(plan.kustomize, dir, project.engine, workspace);
      for (const file of outcome.files) {
        if (file.documents === 0) continue;
        const keys = rendered.get(file.path) ?? new Set();
        for (const f of file.findings) if (f.ruleId === 'schema/required') keys.add(keyOf(f));
        rendered.set(file.path, keys);
      }
      collect(outcome);
    }
    // A base may lack what its overlays add (a selector from a `labels` transformer): what the rendered objects
    // have is not reported missing on the base.
    for (const [path, keys] of rendered) {
      const report = reports.get(path);
      if (!report || created.has(report)) continue;
      const keep = report.findings.map((f) => f.ruleId !== 'schema/required' || keys.has(keyOf(f)));
      if (keep.every(Boolean)) continue;
      report.findings = report.findings.filter((_, i) => keep[i]);
      if (report.fingerprints) report.fingerprints = report.fingerprints.filter((_, i) => keep[i]);
    }
  }
  // Only new reports are sorted: a plain file's report keeps its order (its fingerprints follow it).
  for (const f of created) f.findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.ruleId.localeCompare(b.ruleId));
}

/** One rule on one line is one finding to the reader (the plain check of a base may anchor it a few columns apart). */
function keyOf(f: Finding): string {
  return `${f.ruleId}|${f.range.start.line}`;
}

