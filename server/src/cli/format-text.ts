/** Compiler-style output: `path:line:col severity rule-id message`, then one summary line. */
import type { Severity } from '../engine';
import type { AuditReport } from './report';

const COLORS: Record<Severity, string> = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m' };
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatText(report: AuditReport, color: boolean): string {
  const paint = (code: string, text: string) => (color ? `${code}${text}${RESET}` : text);
  const lines: string[] = [];
  for (const file of report.files) {
    for (const f of file.findings) {
      if (f.suppressed) continue;
      const where = `${file.display}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
      lines.push(`${where} ${paint(COLORS[f.severity], f.severity)} ${paint(DIM, f.ruleId)} ${f.message}`);
    }
  }
  const s = report.summary;
  const total = s.error + s.warning + s.info;
  const scope = `${plural(s.files, 'file')}, ${plural(s.documents, 'document')}, Kubernetes ${report.kubernetesVersion}`;
  const waived = s.suppressed > 0 ? `; ${s.suppressed} suppressed` : '';
  lines.push(total === 0
    ? `No problems (${scope})${waived}.`
    : `${plural(total, 'problem')} (${plural(s.error, 'error')}, ${plural(s.warning, 'warning')}, ${s.info} info) in ${scope}${waived}.`);
  return `${lines.join('\n')}\n`;
}
