/**
 * `kgov audit --jobs N`: files are split between worker threads in two rounds. Round one parses and indexes
 * (every worker's resources go into one workspace index), round two lints with that index, so cross-file
 * facts (CRDs, kustomize patches, references) are the same as in a single-threaded run.
 */
import { relative } from 'node:path';
import { Worker, parentPort, workerData } from 'node:worker_threads';
import {
  type BudgetChecklist, createEngine, type Engine, type EngineOptions, fileBudgets, fileChecklist, type Finding, type FindingFingerprint, fingerprintsOf, Workspace,
  type WorkloadChecklist, type WorkspaceResource,
} from '../engine';

export interface WorkerFile {
  path: string;
  text: string;
  /** Key of the engine options (one per configuration) that lint this file. */
  engine: string;
}

export interface WorkerResult {
  path: string;
  documents: number;
  findings: Finding[];
  /** With `extras.fingerprints`: one per finding, same order (baselines). */
  fingerprints?: FindingFingerprint[];
  /** With `extras.checklists`: the file's workload checklists and PodDisruptionBudgets (the scorecard). */
  checklists?: WorkloadChecklist[];
  budgets?: BudgetChecklist[];
}

/** What a lint round computes besides findings, while the parsed file is at hand. */
export interface LintExtras {
  fingerprints: boolean;
  checklists: boolean;
  /** The text edits of each fix (only SARIF carries them; the other formats say `fixable`). */
  fixEdits: boolean;
}

type Request =
  | { type: 'index'; files: WorkerFile[] }
  | { type: 'lint'; resources: WorkspaceResource[]; defaultNamespace: string; cwd: string; extras: LintExtras };

type Reply =
  | { type: 'indexed'; resources: WorkspaceResource[] }
  | { type: 'linted'; results: WorkerResult[] }
  | { type: 'failed'; message: string };

export interface WorkerSetup {
  kgovWorker: true;
  engines: Record<string, EngineOptions>;
}

/** The worker side (runs when the CLI bundle is loaded as a worker). */
export function runWorker(): void {
  const setup = workerData as WorkerSetup;
  const engines = new Map<string, Engine>();
  const engineFor = (key: string) => {
    let engine = engines.get(key);
    if (!engine) engines.set(key, (engine = createEngine(setup.engines[key] as EngineOptions)));
    return engine;
  };
  let files: WorkerFile[] = [];
  parentPort?.on('message', (request: Request) => {
    try {
      if (request.type === 'index') {
        files = request.files;
        parentPort?.postMessage({ type: 'indexed', resources: files.flatMap((f) => engineFor(f.engine).index(f.path, f.text)) } satisfies Reply);
        return;
      }
      const workspace = new Workspace(request.defaultNamespace);
      workspace.displayPath = (path) => relative(request.cwd, path) || path;
      const byUri = new Map<string, WorkspaceResource[]>();
      for (const r of request.resources) byUri.set(r.uri, [...(byUri.get(r.uri) ?? []), r]);
      for (const [uri, list] of byUri) workspace.setFile(uri, list);
      const results = files.map((f) => {
        const engine = engineFor(f.engine);
        const result = engine.lintFile(f.path, f.text, workspace, undefined, { outcomes: request.extras.checklists });
        for (const finding of result.findings) {
          if (!finding.fix || !request.extras.fixEdits) continue;
          try {
            finding.fix.edits = engine.fixEdits(f.text, finding);
          } catch {
            finding.fix.edits = [];
          }
        }
        const out: WorkerResult = { path: f.path, documents: result.documents, findings: result.findings };
        if (request.extras.fingerprints) out.fingerprints = fingerprintsOf(result.file, result.findings);
        if (request.extras.checklists) {
          const namespaceOf = (ns: string | undefined) => ns ?? request.defaultNamespace;
          out.checklists = fileChecklist(engine, result, namespaceOf);
          out.budgets = fileBudgets(engine, result, namespaceOf);
        }
        return out;
      });
      parentPort?.postMessage({ type: 'linted', results } satisfies Reply);
    } catch (error) {
      parentPort?.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies Reply);
    }
  });
}

/** Splits files into `n` groups of similar total size (largest first, each into the lightest group). */
export function partition(files: WorkerFile[], n: number): WorkerFile[][] {
  const groups = Array.from({ length: n }, () => ({ size: 0, files: [] as WorkerFile[] }));
  for (const file of [...files].sort((a, b) => b.text.length - a.text.length)) {
    const lightest = groups.reduce((a, b) => (b.size < a.size ? b : a));
    lightest.files.push(file);
    lightest.size += file.text.length;
  }
  return groups.map((g) => g.files).filter((g) => g.length > 0);
}

function ask(worker: Worker, request: Request): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: Reply) => {
      cleanup();
      if (reply.type === 'failed') reject(new Error(reply.message));
      else resolve(reply);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`worker stopped with exit code ${code}`));
    };
    // A reply that cannot be deserialized (a structure too deep for this thread's stack) never arrives as a message.
    const onMessageError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('messageerror', onMessageError);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('messageerror', onMessageError);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(request);
  });
}

export async function lintInParallel(
  entry: string, engines: Record<string, EngineOptions>, files: WorkerFile[], jobs: number, defaultNamespace: string, cwd: string,
  extras: LintExtras = { fingerprints: false, checklists: false, fixEdits: false },
): Promise<WorkerResult[]> {
  const groups = partition(files, jobs);
  const setup: WorkerSetup = { kgovWorker: true, engines };
  const workers = groups.map(() => new Worker(entry, { workerData: setup }));
  try {
    const indexed = await Promise.all(groups.map((group, i) => ask(workers[i] as Worker, { type: 'index', files: group })));
    const resources = indexed.flatMap((reply) => (reply.type === 'indexed' ? reply.resources : []));
    const linted = await Promise.all(workers.map((worker) => ask(worker, { type: 'lint', resources, defaultNamespace, cwd, extras })));
    const byPath = new Map(linted.flatMap((reply) => (reply.type === 'linted' ? reply.results : [])).map((r) => [r.path, r]));
    return files.map((f) => byPath.get(f.path) as WorkerResult);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
