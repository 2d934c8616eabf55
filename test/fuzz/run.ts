/**
 * One fuzz run: the seeded inputs of inputs.ts fed to the engine (in process), to two running language
 * servers (pull and push mode) and, in batches, to `kgov audit`, with the failures and the counts. Used by `npm run fuzz` (scripts/fuzz.ts) and
 * by the short run in `npm test` (test/fuzz/fuzz.test.ts).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CorpusFile } from '../unit/helpers/corpus';
import { AuditDriver } from './audit-driver';
import type { FuzzFailure } from './check';
import type { EngineDriver } from './engine-driver';
import { EngineHost } from './engine-worker';
import { fuzzInputs, SPECIAL_NAMES } from './inputs';
import { LspDriver } from './lsp-driver';

export interface FuzzOptions {
  files: CorpusFile[];
  seed: number;
  count: number;
  /** Feed the language servers too (default true). */
  lsp?: boolean;
  /** Audit the inputs with the CLI too, in batches (default true). */
  audit?: boolean;
  /** Only this input (by index), to replay a failure. */
  only?: number;
  /** Corpus files copied into the servers' workspace folder (all by default). */
  workspaceFiles?: number;
  fixShare?: number;
  probes?: number;
  requestShare?: number;
  pushShare?: number;
  /** Progress lines. */
  log?: (line: string) => void;
  progressEvery?: number;
}

export interface FuzzReport {
  seed: number;
  inputs: number;
  byKind: Record<string, number>;
  failures: FuzzFailure[];
  /** Failures beyond the first 200 are counted, not kept. */
  failureCount: number;
  unhandledRejections: number;
  seconds: number;
  engine: EngineDriver['stats'];
  lsp?: LspDriver['stats'];
  audit?: AuditDriver['stats'];
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const failures: FuzzFailure[] = [];
  let failureCount = 0;
  const record = (list: FuzzFailure[]) => {
    failureCount += list.length;
    for (const f of list) {
      if (failures.length < 200) failures.push(f);
      log(`FAIL ${f.where} ${f.category} input ${f.input} (${f.kind}${f.source ? ` of ${f.source}` : ''}): ${f.detail.split('\n').slice(0, 4).join(' | ')}`);
    }
  };
  let unhandledRejections = 0;
  const onRejection = (reason: unknown) => {
    unhandledRejections++;
    record([{ category: 'rejection', where: 'engine', input: -1, kind: 'harness', detail: String(reason) }]);
  };
  process.on('unhandledRejection', onRejection);

  const engine = new EngineHost(options.files, { fixShare: options.fixShare ?? 0.05, probes: options.probes ?? 1 });
  let folder: string | undefined;
  let lsp: LspDriver | undefined;
  const audit = options.audit === false ? undefined : new AuditDriver();
  try {
    if (options.lsp !== false) {
      folder = mkdtempSync(join(tmpdir(), 'kgov-fuzz-'));
      for (const f of options.files.slice(0, options.workspaceFiles ?? options.files.length)) {
        mkdirSync(dirname(join(folder, f.relative)), { recursive: true });
        cpSync(f.path, join(folder, f.relative));
      }
      lsp = await LspDriver.start({ folder, requestShare: options.requestShare ?? 0.05, pushShare: options.pushShare ?? 0.01 });
      log(`language servers ready (pids ${lsp.pids.join(', ')})`);
    }
    const byKind: Record<string, number> = {};
    let inputs = 0;
    for (const input of fuzzInputs(options.files, options.seed, options.count)) {
      if (options.only !== undefined && input.index !== options.only) continue;
      inputs++;
      const family = input.kind.includes(':') ? (input.kind.split(':')[0] as string) : 'mutation';
      byKind[family] = (byKind[family] ?? 0) + 1;
      record(await engine.run(input));
      if (lsp) record(await lsp.run(input));
      if (audit) record(await audit.run(input));
      if (options.progressEvery && inputs % options.progressEvery === 0) {
        log(`${inputs} inputs, ${failureCount} failures, ${((performance.now() - started) / 1000).toFixed(0)} s`);
      }
    }
    if (lsp) record(await lsp.finish());
    if (audit) record(await audit.flush());
    return {
      seed: options.seed, inputs, byKind, failures, failureCount, unhandledRejections, seconds: (performance.now() - started) / 1000,
      engine: engine.stats, ...(lsp ? { lsp: lsp.stats } : {}), ...(audit ? { audit: audit.stats } : {}),
    };
  } finally {
    process.off('unhandledRejection', onRejection);
    await engine.stop();
    await lsp?.stop();
    audit?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  }
}

export const SPECIAL_COUNT = SPECIAL_NAMES.length;

/** The report as the lines `npm run fuzz` prints. */
export function summary(report: FuzzReport): string[] {
  const lines = [
    `kgov fuzz: seed ${report.seed}, ${report.inputs} inputs in ${report.seconds.toFixed(1)} s (${Object.entries(report.byKind).map(([k, n]) => `${k} ${n}`).join(', ')})`,
    `engine: ${report.engine.findings} findings, ${report.engine.fixRuns} fix-all runs applying ${report.engine.fixesApplied} fixes, slowest operation ${report.engine.maxCpuMs.toFixed(0)} ms of CPU (${report.engine.slowestOperation}), ${report.engine.retried} slow inputs retried`,
  ];
  if (report.lsp) {
    const l = report.lsp;
    lines.push(`language server: ${l.inputs} inputs (${l.pushed} also in push mode), ${l.diagnostics} diagnostics, ${l.requests} hover/completion/symbol/action requests, ${l.codeActions} code actions resolved, max ${l.maxWallMs.toFixed(0)} ms wall and ${l.maxServerCpuMs.toFixed(0)} ms server CPU per input (${l.slowestInput}), ${l.retried.length} over budget once and retried${l.retried.length > 0 ? ` (${l.retried.slice(0, 3).join('; ')})` : ''}; time to receive the largest inputs, added to their budget: ${l.transport.length > 0 ? l.transport.slice(0, 3).join('; ') : 'none'}`);
  }
  if (report.audit) lines.push(`kgov audit: ${report.audit.audits} audits of ${report.audit.files} files (every other one with worker threads), ${report.audit.internalErrors} files kgov could not finish`);
  const byCategory: Record<string, number> = {};
  for (const f of report.failures) byCategory[`${f.where} ${f.category}`] = (byCategory[`${f.where} ${f.category}`] ?? 0) + 1;
  lines.push(`failures: ${report.failureCount}${report.failureCount > 0 ? ` (first ${report.failures.length}: ${Object.entries(byCategory).map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}; unhandled rejections: ${report.unhandledRejections}; crashes: ${report.failures.filter((f) => f.category === 'crash' && f.where !== 'audit').length}; lost audits: ${report.failures.filter((f) => f.where === 'audit' && f.category === 'crash').length}`);
  return lines;
}
