/** SARIF 2.1.0 for code scanning: 1-based regions, one rule descriptor per rule, fixes and suppressions. */
import { pathToFileURL } from 'node:url';
import { type Finding, REPOSITORY_URL, type RuleInfo, type Severity, type TextEdit } from '../engine';
import { TOOL, type AuditReport } from './report';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
/** GitHub code scanning reads this property to rank alerts. */
const PROBLEM_SEVERITY: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'recommendation' };

function pascal(id: string): string {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]?.toUpperCase() + w.slice(1)).join('');
}

function descriptor(rule: RuleInfo): object {
  return {
    id: rule.id,
    name: pascal(rule.id),
    shortDescription: { text: rule.summary },
    fullDescription: { text: rule.rationale },
    helpUri: rule.url,
    help: { text: `${rule.summary} ${rule.rationale} See ${rule.url}`, markdown: `${rule.summary}\n\n${rule.rationale}\n\n[Documentation](${rule.url})` },
    defaultConfiguration: { level: LEVEL[rule.defaultSeverity] },
    properties: { tags: ['kubernetes', rule.category], precision: 'very-high', 'problem.severity': PROBLEM_SEVERITY[rule.defaultSeverity] },
  };
}

function region(f: Finding): object {
  return {
    startLine: f.range.start.line + 1,
    startColumn: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
  };
}

export function formatSarif(report: AuditReport, rules: RuleInfo[], cwd: string): string {
  const used = new Set(report.files.flatMap((f) => f.findings.map((x) => x.ruleId)));
  // Every known rule, plus any id only seen in results (schema/<keyword> without its own entry).
  const catalog = [...rules];
  for (const id of used) {
    if (!catalog.some((r) => r.id === id)) {
      catalog.push({ id, category: 'schema', defaultSeverity: 'error', summary: 'The value does not satisfy its schema.', rationale: 'The API server rejects it.', url: `${REPOSITORY_URL}/blob/main/docs/rules/README.md`, fixable: false, presets: {}, aliases: {} });
    }
  }
  const ruleIndex = new Map(catalog.map((r, i) => [r.id, i]));
  const locations = report.files.map((f) => ({ uri: f.path === '-' ? 'stdin' : f.display.split('\\').join('/'), uriBaseId: '%SRCROOT%' }));
  const results = report.files.flatMap((file, artifactIndex) => file.findings.map((f, i) => {
    const result: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: locations[artifactIndex], region: region(f) } }],
      partialFingerprints: { 'kgov/v1': `${f.ruleId}:${f.resource?.kind ?? ''}/${f.resource?.namespace ?? ''}/${f.resource?.name ?? ''}:${f.pointer}` },
    };
    // SARIF's own field: code scanning shows "unchanged" results as known, not as new alerts.
    const state = file.baselineStates?.[i];
    if (state) result.baselineState = state;
    if (f.suppressed) {
      result.suppressions = [{ kind: 'inSource', status: 'accepted', ...(f.suppressed.reason ? { justification: f.suppressed.reason } : {}) }];
    }
    if (f.fix?.edits && f.fix.edits.length > 0) {
      result.fixes = [{
        description: { text: f.fix.title },
        artifactChanges: [{
          artifactLocation: locations[artifactIndex],
          replacements: f.fix.edits.map((e: TextEdit) => ({ deletedRegion: { charOffset: e.start, charLength: e.end - e.start }, insertedContent: { text: e.text } })),
        }],
      }];
    }
    return result;
  }));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: TOOL.name, version: TOOL.version, semanticVersion: TOOL.version, informationUri: REPOSITORY_URL, rules: catalog.map(descriptor) } },
      originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(cwd).href.replace(/\/?$/, '/')}` } },
      results,
      columnKind: 'utf16CodeUnits',
      properties: { kubernetesVersion: report.kubernetesVersion },
    }],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
