/**
 * `kgov audit --format markdown`: the scorecard table, upgrade readiness, then the reported findings grouped by
 * workload (resource), for a pull-request comment or a CI job summary (docs/scorecard.md).
 */
import { DIMENSION_MEASURES, dimensionsMet, type Finding, type Scorecard, type ScorecardDimensionResult } from '../engine';
import { isReported, TOOL, type AuditReport } from './report';

/** Markdown's active characters, so a message or a name cannot start a table cell, a link or emphasis. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

/** Inline code that survives backticks in the text. */
function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${fence.length > 1 ? ' ' : ''}${text.replace(/\|/g, '\\|')}${fence.length > 1 ? ' ' : ''}${fence}`;
}

function status(d: ScorecardDimensionResult): string {
  if (d.met === undefined) return `– no data (${d.note ?? 'nothing counted'})`;
  return d.met ? '✅ met' : '❌ not met';
}

function scorecardTable(card: Scorecard): string[] {
  const { met, measured } = dimensionsMet(card);
  const lines = [`Kubernetes ${card.kubernetesVersion} · ${card.workloads.length} ${card.workloads.length === 1 ? 'workload' : 'workloads'} · **${met} of ${measured} dimensions met**`, ''];
  lines.push('| Dimension | Measured | Target | Status |', '|---|---:|---:|---|');
  for (const d of card.dimensions) {
    const measuredText = d.percent === undefined ? '–' : `${d.percent}% (${d.passed} of ${d.total} ${d.unit})`;
    lines.push(`| **${d.title}**<br>${escapeMarkdown(DIMENSION_MEASURES[d.id])} | ${measuredText} | ${d.target}% | ${status(d)} |`);
  }
  return lines;
}

function upgradeSection(card: Scorecard, display: (uri: string) => string): string[] {
  if (!card.upgrade) return [];
  const lines = ['', '### Upgrade readiness', ''];
  for (const next of card.upgrade.next) {
    if (!next.bundled) {
      lines.push(`- Kubernetes ${next.version}: not bundled with this kgov (unknown)`);
      continue;
    }
    lines.push(`- Kubernetes ${next.version}: ${next.removed.length === 0 ? 'nothing removed' : `${next.removed.length} no longer served`}`);
    for (const r of next.removed) {
      const where = `${display(r.uri)}${r.range ? `:${r.range.start.line + 1}` : ''}`;
      lines.push(`  - ${code(r.apiVersion)} ${escapeMarkdown(r.kind)} ${code(`${r.namespace ? `${r.namespace}/` : ''}${r.name ?? '(unnamed)'}`)} in ${code(where)}${r.replacement ? ` (use ${code(r.replacement)})` : ''}`);
    }
  }
  return lines;
}

function resourceTitle(finding: Finding): string {
  const r = finding.resource;
  if (!r?.kind && !r?.name) return 'Outside a resource';
  return `${escapeMarkdown(r.kind ?? 'Resource')} ${code(`${r.namespace ? `${r.namespace}/` : ''}${r.name ?? '(unnamed)'}`)}`;
}

export function formatMarkdown(report: AuditReport): string {
  const card = report.scorecard;
  const lines = ['## kgov readiness report', ''];
  if (card) lines.push(...scorecardTable(card), ...upgradeSection(card, (uri) => displayOf(report, uri)));
  if (report.baseline) {
    const b = report.baseline;
    lines.push('', `Baseline ${code(b.path)}: ${b.new} new, ${b.unchanged} baselined (not listed), ${b.fixed} fixed since it was written.`);
  }
  lines.push('', '### Findings by workload', '');
  // Workload scores by file, kind and name, for the headings.
  const scores = new Map((card?.workloads ?? []).map((w) => [JSON.stringify([w.uri, w.kind, w.name]), w.score]));
  let reported = 0;
  for (const file of report.files) {
    const groups = new Map<string, { title: string; score?: number; lines: string[] }>();
    file.findings.forEach((finding, i) => {
      if (!isReported(file, i)) return;
      reported++;
      const r = finding.resource;
      const key = JSON.stringify([r?.kind ?? '', r?.namespace ?? '', r?.name ?? '']);
      let group = groups.get(key);
      if (!group) {
        const score = scores.get(JSON.stringify([file.path, r?.kind ?? '', r?.name ?? '']));
        group = { title: resourceTitle(finding), ...(score !== undefined ? { score } : {}), lines: [] };
        groups.set(key, group);
      }
      group.lines.push(`- **${finding.severity}** ${code(finding.ruleId)} line ${finding.range.start.line + 1}: ${escapeMarkdown(finding.message)}`);
    });
    for (const group of groups.values()) {
      lines.push(`#### ${group.title} in ${code(file.display)}${group.score !== undefined ? ` (score ${group.score})` : ''}`, '', ...group.lines, '');
    }
  }
  if (reported === 0) lines.push(report.baseline ? 'No new findings.' : 'No findings.', '');
  const s = report.summary;
  lines.push(`<sub>${TOOL.name} ${TOOL.version} · ${s.files} ${s.files === 1 ? 'file' : 'files'}, ${s.documents} ${s.documents === 1 ? 'document' : 'documents'}${s.suppressed > 0 ? ` · ${s.suppressed} waived` : ''}</sub>`, '');
  return lines.join('\n');
}

function displayOf(report: AuditReport, uri: string): string {
  return report.files.find((f) => f.path === uri)?.display ?? uri;
}
