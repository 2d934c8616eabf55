/** The audit result every output format renders (JSON is this, nearly verbatim: docs/architecture.md, "CLI"). */
import type { AuditSummary, BaselineState, Finding, FindingFingerprint, Scorecard, Severity, UpgradeOutlook } from '../engine';
import { version as toolVersion } from '../../../package.json';

export interface FileReport {
  /** Absolute path ('-' for stdin). */
  path: string;
  /** Path as shown: relative to the working directory. */
  display: string;
  documents: number;
  findings: Finding[];
  /** With a baseline read or written: one per finding, same order. */
  fingerprints?: FindingFingerprint[];
  /** With a baseline read: per finding, new or unchanged (undefined for waived ones). */
  baselineStates?: Array<BaselineState | undefined>;
}

export interface AuditReport {
  kubernetesVersion: string;
  files: FileReport[];
  summary: AuditSummary;
  /** For --format markdown and html. */
  scorecard?: Scorecard;
  /** What the next two Kubernetes versions after kubernetesVersion stop serving (text, markdown and html). */
  upgrade?: UpgradeOutlook;
  /** The baseline compared against: how many findings are new, still there (unchanged), and fixed since. */
  baseline?: { path: string; new: number; unchanged: number; fixed: number };
  /** --write-baseline: where, and how many findings it recorded. */
  baselineWritten?: { path: string; findings: number };
}

/** Is this finding reported (not waived, and not recorded in the baseline)? */
export function isReported(file: FileReport, index: number): boolean {
  const finding = file.findings[index] as Finding;
  return !finding.suppressed && file.baselineStates?.[index] !== 'unchanged';
}

export const TOOL = { name: 'kgov', version: toolVersion };

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** Does any unsuppressed finding reach `failOn`? */
export function fails(report: AuditReport, failOn: Severity | 'none'): boolean {
  // Writing a baseline records every finding: none is left to fail on.
  if (failOn === 'none' || report.baselineWritten) return false;
  return report.files.some((f) => f.findings.some((x, i) => isReported(f, i) && RANK[x.severity] >= RANK[failOn]));
}

export function toJson(report: AuditReport): object {
  return {
    version: 1,
    tool: TOOL,
    kubernetesVersion: report.kubernetesVersion,
    files: report.files.map((file) => ({
      path: file.display,
      documents: file.documents,
      findings: file.findings.map((f, i) => {
        const out: Record<string, unknown> = {
          ruleId: f.ruleId, severity: f.severity, message: f.message, range: f.range,
          docIndex: f.docIndex, pointer: f.pointer, fixable: f.fixable, suppressed: f.suppressed !== undefined,
        };
        if (f.resource) out.resource = f.resource;
        const state = file.baselineStates?.[i];
        if (state) out.baselineState = state;
        if (f.suppressed) out.suppression = { kind: f.suppressed.kind, ...(f.suppressed.reason ? { reason: f.suppressed.reason } : {}) };
        return out;
      }),
    })),
    summary: report.summary,
    ...(report.baseline ? { baseline: report.baseline } : {}),
  };
}
