/**
 * npm run docs: writes docs/rules/<id>.md for every rule and built-in finding id, from `meta` and the fixtures
 * (the first invalid and valid fixture are the examples), and docs/rules/README.md with the index and the
 * migration table from Polaris, kube-linter, kube-score and the Pod Security Standards.
 * `--check` writes nothing and exits 1 when a file is stale (the docs test runs it).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PRESET_NAMES } from '../server/src/engine/config/presets';
import { allRuleInfo, type RuleInfo } from '../server/src/engine/registry/rule-info';
import { RULES } from '../server/src/engine/rules';
import type { RuleTarget } from '../server/src/engine/rule';

const root = resolve(__dirname, '..');
const docsDir = join(root, 'docs/rules');
const fixturesDir = join(root, 'test/rules');
const check = process.argv.includes('--check');

const CARET = /^\s*#\s*\^+\s+\S+\s*$/;
const TOOL_NAMES = { polaris: 'Polaris', kubeLinter: 'kube-linter', kubeScore: 'kube-score', pss: 'Pod Security Standards' } as const;

function fixture(id: string, prefix: 'invalid-' | 'valid-'): { name: string; text: string; fixed?: string } | undefined {
  const dir = join(fixturesDir, id);
  if (!existsSync(dir)) return undefined;
  const name = readdirSync(dir).filter((n) => n.startsWith(prefix) && n.endsWith('.yaml') && !n.endsWith('.fixed.yaml')).sort()[0];
  if (!name) return undefined;
  const clean = (text: string) => text.split('\n').filter((l) => !CARET.test(l) && !l.startsWith('# kgov-test:')).join('\n').trimEnd();
  const fixedPath = join(dir, name.replace(/\.yaml$/, '.fixed.yaml'));
  const out: { name: string; text: string; fixed?: string } = { name, text: clean(readFileSync(join(dir, name), 'utf8')) };
  if (existsSync(fixedPath)) out.fixed = clean(readFileSync(fixedPath, 'utf8'));
  return out;
}

function targetText(target: RuleTarget): string {
  const kinds = target.kinds === 'workloads' ? 'workloads (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob)'
    : target.kinds === '*' ? 'every resource' : target.kinds.join(', ');
  const scope = target.scope === 'object' ? 'the resource' : target.scope === 'podSpec' ? 'the pod spec' : `each container (${(target.containers ?? ['containers', 'initContainers', 'ephemeralContainers']).join(', ')})`;
  return `${kinds}; checks ${scope}`;
}

function peers(info: RuleInfo): string {
  const parts = (Object.keys(TOOL_NAMES) as Array<keyof typeof TOOL_NAMES>).flatMap((tool) => (info.aliases[tool] ?? []).map((name) => `${TOOL_NAMES[tool]} \`${name}\``));
  return parts.length > 0 ? parts.join(', ') : 'none';
}

function optionsTable(info: RuleInfo): string {
  const schema = info.options as { properties?: Record<string, { type?: unknown; description?: string }> } | undefined;
  const defaults = (RULES[info.id]?.meta.defaultOptions ?? {}) as Record<string, unknown>;
  if (!schema?.properties) return 'This rule has no options.';
  const rows = Object.entries(schema.properties).map(([name, s]) =>
    `| \`${name}\` | ${Array.isArray(s.type) ? s.type.join(' or ') : String(s.type ?? 'any')} | \`${JSON.stringify(defaults[name] ?? null)}\` | ${(s.description ?? '').replace(/\|/g, '\\|')} |`);
  return `| Option | Type | Default | Description |\n|---|---|---|---|\n${rows.join('\n')}\n\nSet them in \`.kgov.yaml\`:\n\n\`\`\`yaml\nrules:\n  ${info.id}: [${info.defaultSeverity}, ${JSON.stringify(defaults)}]\n\`\`\``;
}

function rulePage(info: RuleInfo): string {
  const rule = RULES[info.id];
  const presets = PRESET_NAMES.filter((p) => info.presets[p]).map((p) => `\`${p}\` (${info.presets[p]})`).join(', ') || 'none';
  const lines = [`# ${info.id}`, '', info.summary, '', '| | |', '|---|---|',
    `| Category | ${info.category} |`, `| Default severity | ${info.defaultSeverity} |`, `| Presets | ${presets} |`,
    `| Fix | ${info.fixable ? 'yes' : 'no'} |`];
  if (rule) lines.push(`| Applies to | ${targetText(rule.meta.target)} |`, `| Checklist | ${rule.meta.checklist === false ? 'not shown' : rule.meta.checklist} |`);
  lines.push(`| Equivalent checks | ${peers(info)} |`, '', '## Why', '', info.rationale, '');
  if (rule) {
    lines.push('## Options', '', optionsTable(info), '');
    const bad = fixture(info.id, 'invalid-');
    const good = fixture(info.id, 'valid-');
    if (bad) lines.push('## Fires on', '', '```yaml', bad.text, '```', '');
    if (bad?.fixed) lines.push('## After the fix', '', '```yaml', bad.fixed, '```', '');
    if (good) lines.push('## Passes', '', '```yaml', good.text, '```', '');
    lines.push('## Messages', '', ...Object.entries(rule.meta.messages).map(([id, text]) => `- \`${id}\`: ${text}`), '');
  }
  lines.push('## Suppressing it', '',
    `On the object: \`metadata.annotations: { kgov.io/ignore: "${info.id}", kgov.io/ignore-reason: "why" }\`. ` +
    `For one line: a comment \`# kgov-disable-next-line ${info.id} -- why\` above it. ` +
    'Rules listed under `nonBypassable` in `.kgov.yaml` cannot be waived.');
  const annotations: string[] = [];
  for (const check of info.aliases.kubeLinter ?? []) annotations.push(`\`ignore-check.kube-linter.io/${check}\``);
  for (const check of info.aliases.polaris ?? []) annotations.push(`\`polaris.fairwinds.com/${check}-exempt: "true"\``);
  for (const check of info.aliases.kubeScore ?? []) annotations.push(`\`kube-score/ignore: ${check}\``);
  if (annotations.length > 0) lines.push('', `kgov also honours the peers' annotations: ${annotations.join(', ')}.`);
  return `${lines.join('\n')}\n`;
}

function index(infos: RuleInfo[]): string {
  const lines = ['# kgov rules', '', 'Generated by `npm run docs` from each rule\'s metadata; `kgov rules` prints the same list.', '',
    `| Rule | Category | Default | ${PRESET_NAMES.map((p) => `\`${p}\``).join(' | ')} | Fix | Summary |`,
    `|---|---|---|${PRESET_NAMES.map(() => '---').join('|')}|---|---|`];
  for (const info of infos) {
    const cells = PRESET_NAMES.map((p) => info.presets[p] ?? '');
    lines.push(`| [\`${info.id}\`](${info.id}.md) | ${info.category} | ${info.defaultSeverity} | ${cells.join(' | ')} | ${info.fixable ? 'yes' : ''} | ${info.summary.replace(/\|/g, '\\|')} |`);
  }
  lines.push('', '## Migrating from other tools', '', 'Each peer check and the kgov rule that does the same job. kgov honours the peers\' suppression annotations for these rules.', '');
  for (const tool of Object.keys(TOOL_NAMES) as Array<keyof typeof TOOL_NAMES>) {
    const rows = infos.flatMap((info) => (info.aliases[tool] ?? []).map((check) => [check, info.id] as const)).sort((a, b) => a[0].localeCompare(b[0]));
    if (rows.length === 0) continue;
    lines.push(`### ${TOOL_NAMES[tool]}`, '', `| ${TOOL_NAMES[tool]} check | kgov rule |`, '|---|---|', ...rows.map(([check, id]) => `| \`${check}\` | [\`${id}\`](${id}.md) |`), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

const infos = allRuleInfo();
const outputs = new Map<string, string>([[join(docsDir, 'README.md'), index(infos)], ...infos.map((i) => [join(docsDir, `${i.id}.md`), rulePage(i)] as [string, string])]);
const stale: string[] = [];
for (const [path, text] of outputs) {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (current === text) continue;
  if (check) stale.push(path.slice(root.length + 1));
  else {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
}
if (check && stale.length > 0) {
  console.error(`Stale rule docs (run npm run docs):\n${stale.join('\n')}`);
  process.exit(1);
}
if (!check) console.log(`docs: ${outputs.size} pages`);
