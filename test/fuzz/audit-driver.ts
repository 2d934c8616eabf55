/**
 * The CLI's side of a fuzz run: inputs are written to a folder in batches and audited by the built CLI
 * (server/out/cli.js) as a user would run it. An audit is lost when it does not finish with exit 0 or 1 and a JSON
 * report that lists every file of the batch.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FuzzFailure } from './check';
import type { FuzzInput } from './inputs';

const CLI = resolve(__dirname, '../../server/out/cli.js');
/** Inputs per audit. */
const BATCH = 250;
/** Inputs this large are the engine and server drivers' business (one audit would spend most of its time on them). */
const MAX_BYTES = 2 * 1024 * 1024;

export class AuditDriver {
  readonly stats = { audits: 0, files: 0, internalErrors: 0 };
  private readonly dir = mkdtempSync(join(tmpdir(), 'kgov-fuzz-audit-'));
  private batch: FuzzInput[] = [];

  /** Queues an input; audits a full batch. */
  async run(input: FuzzInput): Promise<FuzzFailure[]> {
    if ((input.bytes?.length ?? input.text.length) > MAX_BYTES) return [];
    this.batch.push(input);
    return this.batch.length >= BATCH ? this.flush() : [];
  }

  async flush(): Promise<FuzzFailure[]> {
    const batch = this.batch;
    this.batch = [];
    if (batch.length === 0) return [];
    const folder = join(this.dir, String(this.stats.audits));
    mkdirSync(folder);
    const names = batch.map((input) => `input-${input.index}.yaml`);
    batch.forEach((input, i) => writeFileSync(join(folder, names[i] as string), input.bytes ?? input.text));
    // Every other batch with worker threads, the path large repositories take.
    const jobs = this.stats.audits % 2 === 0 ? '1' : '2';
    this.stats.audits++;
    this.stats.files += batch.length;
    const lost = (detail: string): FuzzFailure[] => [{
      category: 'crash', where: 'audit', input: batch[0]?.index ?? -1, kind: `audit of inputs ${batch[0]?.index}..${batch.at(-1)?.index}`, detail,
    }];
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      execFile(process.execPath, [CLI, 'audit', '--format', 'json', '--jobs', jobs, '--preset', 'all', folder], { maxBuffer: 1 << 30, timeout: 600_000 },
        (error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }));
    });
    rmSync(folder, { recursive: true, force: true });
    if (result.code !== 0 && result.code !== 1) return lost(`exit ${result.code}: ${result.stderr.slice(0, 500)}`);
    let report: { files: Array<{ path: string; findings: Array<{ ruleId: string; message: string }> }> };
    try {
      report = JSON.parse(result.stdout) as typeof report;
    } catch {
      return lost(`no JSON report: ${result.stdout.slice(0, 200)}`);
    }
    const reported = new Set(report.files.map((f) => f.path.slice(f.path.lastIndexOf('/') + 1)));
    const missing = names.filter((n) => !reported.has(n));
    if (missing.length > 0) return lost(`${missing.length} files missing from the report: ${missing.slice(0, 5).join(', ')}`);
    const failures: FuzzFailure[] = [];
    for (const file of report.files) {
      for (const finding of file.findings) {
        if (finding.ruleId !== 'kgov/internal-error') continue;
        this.stats.internalErrors++;
        const index = Number(/input-(\d+)\.yaml$/.exec(file.path)?.[1]);
        const input = batch.find((b) => b.index === index);
        failures.push({ category: 'internal-error', where: 'audit', input: index, kind: input?.kind ?? '', ...(input?.source ? { source: input.source } : {}), detail: finding.message });
      }
    }
    return failures;
  }

  stop(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
