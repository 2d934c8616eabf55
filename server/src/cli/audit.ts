/** `kgov audit`: inputs -> engine (in process, or in worker threads for large inputs) -> report. */
import { createEngine, UnknownVersionError, type EngineOptions } from '../engine/engine';
import type { Finding, Severity } from '../engine/types';
import { Workspace } from '../engine/workspace';
import { schemasDir } from '../paths';
import { UsageError, type AuditArgs } from './args';
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

export function engineOptions(args: AuditArgs): EngineOptions {
  const severities: Record<string, Severity | 'off'> = {};
  for (const rule of args.rules) if (rule.severity) severities[rule.id] = rule.severity;
  const options: EngineOptions = { schemasDir: schemasDir(), severities };
  if (args.kubernetesVersion) options.kubernetesVersion = args.kubernetesVersion;
  return options;
}

export async function audit(args: AuditArgs, io: AuditIo): Promise<AuditReport> {
  const started = performance.now();
  const options = engineOptions(args);
  let engine;
  try {
    engine = createEngine(options);
  } catch (error) {
    if (error instanceof UnknownVersionError) throw new UsageError(error.message);
    throw error;
  }
  options.kubernetesVersion = engine.kubernetesVersion;
  const inputs = collectInputs(args.paths, () => false, io.readStdin, io.cwd);
  const readable = inputs.filter((f): f is InputFile & { text: string } => f.text !== undefined);
  const uri = (f: InputFile) => (f.path === '-' ? '<stdin>' : f.path);
  const results = new Map<InputFile, { documents: number; findings: Finding[] }>();
  const bytes = readable.reduce((n, f) => n + f.text.length, 0);
  const workspaceNamespace = 'default';

  if (args.jobs > 1 && bytes >= PARALLEL_THRESHOLD_BYTES && readable.length >= 2 * args.jobs) {
    const linted = await lintInParallel(io.entry, options, readable.map((f) => ({ path: uri(f), text: f.text })), args.jobs, workspaceNamespace);
    readable.forEach((f, i) => results.set(f, linted[i] as { documents: number; findings: Finding[] }));
  } else {
    const workspace = new Workspace(workspaceNamespace);
    for (const f of readable) workspace.setFile(uri(f), engine.index(uri(f), f.text));
    for (const f of readable) {
      const result = engine.lintFile(uri(f), f.text, workspace);
      results.set(f, { documents: result.documents, findings: result.findings });
    }
  }

  const files: FileReport[] = inputs.map((f) => {
    const result = results.get(f) ?? { documents: 0, findings: [unreadable(f)] };
    return { path: f.path, display: f.display, documents: result.documents, findings: [...result.findings].sort(byPosition) };
  });
  return { kubernetesVersion: engine.kubernetesVersion, files, summary: summarize(files, performance.now() - started) };
}
