/** The audit result every output format renders (JSON is this, nearly verbatim: docs/architecture.md, "CLI"). */
import type { AuditSummary, Finding, Severity } from '../engine';
import { version as toolVersion } from '../../../package.json';

export interface FileReport {
  /** Absolute path ('-' for stdin). */
  path: string;
  /** Path as shown: relative to the working directory. */
  display: string;
  documents: number;
  findings: Finding[];
}

export interface AuditReport {
  kubernetesVersion: string;
  files: FileReport[];
  summary: AuditSummary;
}

export const TOOL = { name: 'kgov', version: toolVersion };

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** Does any unsuppressed finding reach `failOn`? */
export function fails(report: AuditReport, failOn: Severity | 'none'): boolean {
  if (failOn === 'none') return false;
  return report.files.some((f) => f.findings.some((x) => !x.suppressed && RANK[x.severity] >= RANK[failOn]));
}

export function toJson(report: AuditReport): object {
  return {
    version: 1,
    tool: TOOL,
    kubernetesVersion: report.kubernetesVersion,
    files: report.files.map((file) => ({
      path: file.display,
      documents: file.documents,
      findings: file.findings.map((f) => {
        const out: Record<string, unknown> = {
          ruleId: f.ruleId, severity: f.severity, message: f.message, range: f.range,
          docIndex: f.docIndex, pointer: f.pointer, fixable: f.fixable, suppressed: f.suppressed !== undefined,
        };
        if (f.resource) out.resource = f.resource;
        if (f.suppressed) out.suppression = { kind: f.suppressed.kind, ...(f.suppressed.reason ? { reason: f.suppressed.reason } : {}) };
        return out;
      }),
    })),
    summary: report.summary,
  };
}
