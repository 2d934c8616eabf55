/** `kgov rules`: the catalog as text, Markdown or JSON (JSON = every rule's metadata, docs/architecture.md, "CLI"). */
import type { CatalogEntry, RuleInfo } from '../engine';

export function formatRules(rules: RuleInfo[], format: 'text' | 'markdown' | 'json'): string {
  if (format === 'json') {
    return `${JSON.stringify(rules.map((r) => ({
      id: r.id, category: r.category, defaultSeverity: r.defaultSeverity, presets: r.presets, aliases: r.aliases,
      fixable: r.fixable, summary: r.summary, docs: r.url,
    })), null, 2)}\n`;
  }
  if (format === 'markdown') {
    const rows = rules.map((r) => `| [\`${r.id}\`](${r.id}.md) | ${r.category} | ${r.defaultSeverity} | ${r.fixable ? 'yes' : ''} | ${r.summary.replace(/\|/g, '\\|')} |`);
    return `| Rule | Category | Default severity | Fix | Summary |\n|---|---|---|---|---|\n${rows.join('\n')}\n`;
  }
  const width = Math.max(...rules.map((r) => r.id.length));
  return `${rules.map((r) => `${r.id.padEnd(width)}  ${r.defaultSeverity.padEnd(7)}  ${r.fixable ? 'fix' : '   '}  ${r.summary}`).join('\n')}\n`;
}

/** `kgov rules --catalog`: the CRD catalog's API groups, kinds, served versions and source projects. */
export function formatCatalog(groups: CatalogEntry[], format: 'text' | 'markdown' | 'json'): string {
  if (format === 'json') return `${JSON.stringify(groups, null, 2)}\n`;
  const kinds = groups.flatMap((g) => g.kinds.map((k) => ({ ...k, group: g.group, projects: g.projects.join(', ') })));
  if (format === 'markdown') {
    const rows = kinds.map((k) => `| \`${k.group}\` | ${k.kind} | ${k.versions.join(', ')} | ${k.projects} |`);
    return `| API group | Kind | Served versions | Project |\n|---|---|---|---|\n${rows.join('\n')}\n`;
  }
  const width = Math.max(0, ...kinds.map((k) => k.group.length + k.kind.length + 1));
  const lines = kinds.map((k) => `${`${k.group}/${k.kind}`.padEnd(width)}  ${k.versions.join(',').padEnd(24)}  ${k.projects}`);
  return `${lines.join('\n')}\n${kinds.length} kinds in ${groups.length} API groups\n`;
}
