/** The totals of an audit, the same for `kgov audit` and the editor's Audit Workspace. */
import type { Finding } from '../types';

export interface AuditSummary {
  files: number;
  documents: number;
  error: number;
  warning: number;
  info: number;
  /** Findings waived by an annotation or a disable comment (not counted by severity). */
  suppressed: number;
  durationMs: number;
}

export function summarize(files: ReadonlyArray<{ documents: number; findings: readonly Finding[] }>, durationMs: number): AuditSummary {
  const summary: AuditSummary = { files: files.length, documents: 0, error: 0, warning: 0, info: 0, suppressed: 0, durationMs: Math.round(durationMs) };
  for (const file of files) {
    summary.documents += file.documents;
    for (const finding of file.findings) {
      if (finding.suppressed) summary.suppressed++;
      else summary[finding.severity]++;
    }
  }
  return summary;
}
