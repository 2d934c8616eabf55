/** Compiler-style output: `path:line:col severity rule-id message`, then one summary line. */
import type { Severity } from '../engine';
import { isReported, type AuditReport } from './report';

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
    for (const [i, f] of file.findings.entries()) {
      if (!isReported(file, i)) continue;
      const where = `${file.display}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
      lines.push(`${where} ${paint(COLORS[f.severity], f.severity)} ${paint(DIM, f.ruleId)} ${f.message}`);
    }
  }
  const s = { ...report.summary };
  // With a baseline, the counts are of the new findings: the recorded ones are neither shown nor failing.
  if (report.baseline) {
    for (const file of report.files) file.findings.forEach((f, i) => { if (!f.suppressed && !isReported(file, i)) s[f.severity]--; });
  }
  const total = s.error + s.warning + s.info;
  const scope = `${plural(s.files, 'file')}, ${plural(s.documents, 'document')}, Kubernetes ${report.kubernetesVersion}`;
  const waived = s.suppressed > 0 ? `; ${s.suppressed} suppressed` : '';
  lines.push(total === 0
    ? `No problems (${scope})${waived}.`
    : `${plural(total, 'problem')} (${plural(s.error, 'error')}, ${plural(s.warning, 'warning')}, ${s.info} info) in ${scope}${waived}.`);
  if (report.baseline) {
    const b = report.baseline;
    lines.push(`Baseline ${b.path}: ${b.new} new, ${b.unchanged} baselined (not shown), ${b.fixed} fixed since it was written.`);
  }
  lines.push(...upgradeLines(report, paint));
  return `${lines.join('\n')}\n`;
}

/**
 * Upgrade readiness, when a next Kubernetes version stops serving something (nothing is added otherwise): per
 * version, each resource where it is written, with the apiVersion to move to.
 */
function upgradeLines(report: AuditReport, paint: (code: string, text: string) => string): string[] {
  const upgrade = report.upgrade;
  if (!upgrade || upgrade.next.every((n) => n.removed.length === 0)) return [];
  const display = new Map(report.files.map((f) => [f.path === '-' ? '<stdin>' : f.path, f.display]));
  const lines = [`Upgrade readiness from Kubernetes ${upgrade.target}:`];
  for (const next of upgrade.next) {
    if (!next.bundled) {
      lines.push(`  Kubernetes ${next.version}: not bundled with this kgov, unknown.`);
      continue;
    }
    lines.push(next.removed.length === 0 ? `  Kubernetes ${next.version} serves every resource.` : `  Kubernetes ${next.version} stops serving ${plural(next.removed.length, 'resource')}:`);
    for (const r of next.removed) {
      const where = `${display.get(r.uri) ?? r.uri}${r.range ? `:${r.range.start.line + 1}` : ''}`;
      lines.push(`    ${where} ${r.kind} "${r.name ?? ''}" ${paint(DIM, r.apiVersion)} ${r.replacement ? `-> ${r.replacement}` : '(no replacement)'}`);
    }
  }
  return lines;
}
