/**
 * Fix safety (issue 8): on every invalid rule and built-in fixture and every bench-corpus file, with every rule
 * on, every available fix is applied: each fix on its own (the "Fix: ..." code action, through the LSP adapter's
 * resolveEdit and the LSP's own edit application), every fix together (engine fixAll, as `kgov audit --fix` and
 * `source.fixAll.kgov` do), and, on the fixtures, every "Fix all R" action. Each result must keep the
 * invariants of check.ts: it parses, the fixed finding is gone, no new schema finding, no comment lost, and
 * lines outside the fix's regions byte-identical.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { DEFAULT_CONFIG } from '../../server/src/engine/config/config';
import { applyEdits } from '../../server/src/engine/fix/diff';
import { createEngine, type Engine } from '../../server/src/engine/engine';
import { FixError } from '../../server/src/engine/fix/edits';
import { SchemaCatalog } from '../../server/src/engine/schema/catalog';
import type { Finding } from '../../server/src/engine/types';
import { Workspace } from '../../server/src/engine/workspace';
import { codeActions, resolveEdit, type ActionData } from '../../server/src/lsp/actions';
import { toDiagnostic } from '../../server/src/lsp/convert';
import { schemasDir } from '../../server/src/host/paths';
import { isCaretLine } from '../helpers/carets';
import { fixtureFolders, fixtureNames } from '../helpers/fixture-folders';
import { corpusAvailable, corpusFiles, type CorpusFile } from '../unit/helpers/corpus';
import { checkFix, summarize, type FixedFinding } from './check';

const RULES_DIR = resolve(__dirname, '../rules');
const catalog = new SchemaCatalog(schemasDir());

interface Tally {
  files: number;
  single: number;
  lspSingle: number;
  fixAllRuns: number;
  fixAllApplied: number;
  ruleActions: number;
  refused: string[];
  problems: string[];
}

const tally = (): Tally => ({ files: 0, single: 0, lspSingle: 0, fixAllRuns: 0, fixAllApplied: 0, ruleActions: 0, refused: [], problems: [] });

/** The workspace with `text` as the file at `path` (a fork, so the shared one stays as it was). */
function withFile(base: Workspace, engine: Engine, path: string, text: string): Workspace {
  const ws = base.fork();
  ws.setFile(path, engine.index(path, text));
  return ws;
}

const label = (f: Pick<Finding, 'ruleId' | 'messageId' | 'pointer'>) => `${f.ruleId}/${f.messageId} at ${f.pointer || '/'}`;

/** Applies LSP text edits the way a client does (vscode-languageserver-textdocument). */
function applyLsp(uri: string, text: string, edit: ReturnType<typeof resolveEdit>): string {
  const edits = edit?.changes?.[uri] ?? [];
  return TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, text), edits);
}

interface FileCase {
  engine: Engine;
  path: string;
  text: string;
  /** The workspace holding every other file (and this one as it is on disk). */
  workspace: Workspace;
  /** Also run the LSP adapter's actions (each fix, fix all, fix all of a rule). */
  lsp: boolean;
  /** The rule the file is a fixture of (its "Fix all R" action is applied). */
  rule?: string;
}

function checkFile(c: FileCase, t: Tally, where: string): void {
  const { engine, path, text } = c;
  const workspace = withFile(c.workspace, engine, path, text);
  const beforeLint = summarize(engine, path, text, workspace);
  const fixable = beforeLint.findings.filter((f) => f.fix && !f.suppressed);
  if (fixable.length === 0) return;
  t.files++;
  const report = (what: string, problems: string[]) => {
    for (const p of problems) t.problems.push(`${where}: ${what}: ${p}`);
  };
  const check = (after: string, fixed: FixedFinding[]) =>
    checkFix({ engine, path, before: text, after, beforeLint, workspaceAfter: withFile(c.workspace, engine, path, after), fixed });
  const uri = `file://${path}`;
  const document = TextDocument.create(uri, 'yaml', 1, text);
  const ctx = { engine, workspace, path };
  const diagnostics: Diagnostic[] = beforeLint.findings.filter((f) => !f.suppressed).map(toDiagnostic);

  for (const finding of fixable) {
    let after: string;
    try {
      after = applyEdits(text, engine.fixEdits(text, finding));
    } catch (error) {
      if (!(error instanceof FixError)) throw error;
      t.refused.push(`${where}: ${label(finding)}: ${error.message}`);
      continue;
    }
    t.single++;
    report(`fix ${label(finding)}`, check(after, [finding]));
    if (!c.lsp || finding.ruleId !== c.rule) continue;
    // The same fix as the editor gets it: the "Fix: ..." code action, resolved, its LSP edits applied (for the
    // fixture's own rule: the adapter is the same for every rule, and resolving re-lints the file each time).
    const diagnostic = toDiagnostic(finding);
    const action = codeActions(uri, [diagnostic], diagnostics, undefined).find((a) => a.title.startsWith('Fix: '));
    const viaLsp = action?.data ? applyLsp(uri, text, resolveEdit(document, action.data as ActionData, ctx)) : undefined;
    t.lspSingle++;
    if (viaLsp !== after) report(`code action for ${label(finding)}`, [`gives another text than the engine's fix (${viaLsp === undefined ? 'no action' : 'different edits'})`]);
  }

  const all = engine.fixAll(path, text, workspace);
  t.fixAllRuns++;
  t.fixAllApplied += all.fixed.length;
  report(`fix all (${all.fixed.length} fixes)`, check(all.text, all.fixed));
  if (!c.lsp) return;
  const fixAllAction = codeActions(uri, [], diagnostics, ['source.fixAll'])[0];
  const viaLsp = fixAllAction?.data ? applyLsp(uri, text, resolveEdit(document, fixAllAction.data as ActionData, ctx)) : undefined;
  if (viaLsp !== all.text) report('source.fixAll.kgov', ['gives another text than fixAll']);
  // "Fix all R in this file" for the rule the file is about (the fixture's rule).
  for (const ruleId of new Set(fixable.map((f) => f.ruleId).filter((id) => id === c.rule))) {
    const ofRule = diagnostics.filter((d) => d.code === ruleId);
    const action = codeActions(uri, ofRule.slice(0, 1), diagnostics, undefined).find((a) => (a.data as ActionData | undefined)?.type === 'fixRule');
    if (!action) continue;
    t.ruleActions++;
    const after = applyLsp(uri, text, resolveEdit(document, action.data as ActionData, ctx));
    const fixed = engine.fixAll(path, text, workspace, (f) => f.ruleId === ruleId).fixed;
    report(`fix all ${ruleId}`, check(after, fixed));
  }
}

function fixtureOptions(text: string): { options?: Record<string, unknown>; kubernetesVersion?: string; maxFileSize?: number } {
  const match = /^# kgov-test: (\{.*\})\s*$/.exec(text.split('\n')[0] ?? '');
  return match ? (JSON.parse(match[1] as string) as { options?: Record<string, unknown>; kubernetesVersion?: string; maxFileSize?: number }) : {};
}

function summaryLine(t: Tally): string {
  return `${t.files} files with fixes: ${t.single} single fixes (${t.lspSingle} also as resolved code actions), ${t.fixAllRuns} fix-all runs applying ${t.fixAllApplied} fixes, ${t.ruleActions} fix-all-of-a-rule actions; ${t.refused.length} fixes refused (FixError), ${t.problems.length} violations`;
}

describe('fix safety', () => {
  it('every fix of every invalid rule and built-in fixture, as the engine and the code actions apply it', (t) => {
    const result = tally();
    // Rule fixtures, and the fixtures of the built-in ids that have fixes (test/rules/schema/type/, ...); the other
    // built-in fixtures are broken on purpose (a malformed quantity, a lowered size limit) in ways rule fixes copy.
    const only = process.env.KGOV_RULE;
    const folders = fixtureFolders(RULES_DIR).filter((f) => (!f.builtin || fixtureNames(f.dir).fixed.length > 0) && (!only || f.id === only));
    for (const { id: ruleId, dir } of folders) {
      const { context: contexts, invalid } = fixtureNames(dir);
      for (const name of invalid) {
        const raw = readFileSync(join(dir, name), 'utf8');
        const text = raw.split('\n').filter((line) => !isCaretLine(line)).join('\n');
        const fixture = fixtureOptions(raw);
        // Every rule on (so every available fix is applied), the fixture's options for its own rule.
        const config = { ...DEFAULT_CONFIG, rules: fixture.options ? { [ruleId]: { options: fixture.options as never } } : {} };
        const engine = createEngine({
          schemasDir: schemasDir(), config, preset: 'all',
          ...(fixture.kubernetesVersion ? { kubernetesVersion: fixture.kubernetesVersion } : {}), ...(fixture.maxFileSize ? { maxFileSize: fixture.maxFileSize } : {}),
        }, catalog);
        const workspace = new Workspace();
        for (const context of contexts) workspace.setFile(join(dir, context), engine.index(join(dir, context), readFileSync(join(dir, context), 'utf8')));
        checkFile({ engine, path: join(dir, name), text, workspace, lsp: true, rule: ruleId }, result, `${ruleId}/${name}`);
      }
    }
    t.diagnostic(summaryLine(result));
    if (!only) assert.ok(result.single > 100 && result.fixAllApplied > 100, summaryLine(result));
    assert.deepEqual(result.problems, []);
  });

  it('every fix of every bench-corpus file', { skip: !corpusAvailable() && 'needs ../shared/bench-corpus' }, (t) => {
    const result = tally();
    const engine = createEngine({ schemasDir: schemasDir(), preset: 'all' }, catalog);
    // One workspace per application (the first two folders: `sock-shop/deploy`, `kubernetes-engine-samples/<app>`),
    // as `kgov audit --fix <folder>` would see it; cross-resource fixes (a generated PodDisruptionBudget, say) see their peers.
    const groups = new Map<string, CorpusFile[]>();
    for (const f of corpusFiles()) {
      const group = f.relative.split('/').slice(0, 2).join('/');
      groups.set(group, [...(groups.get(group) ?? []), f]);
    }
    for (const files of groups.values()) {
      const workspace = new Workspace();
      for (const f of files) workspace.setFile(f.path, engine.index(f.path, f.text));
      for (const f of files) checkFile({ engine, path: f.path, text: f.text, workspace, lsp: false }, result, f.relative);
    }
    t.diagnostic(summaryLine(result));
    assert.ok(result.files > 100 && result.single > 1000, summaryLine(result));
    assert.deepEqual(result.problems, []);
  });
});
