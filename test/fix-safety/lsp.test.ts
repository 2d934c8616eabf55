/**
 * Fix safety through the running language server (issue 8: "--fix and the LSP code actions"): every invalid
 * fixture of a fixable rule is opened in the server, each "Fix: ..." code action of the fixture's rule and the
 * `source.fixAll.kgov` action are resolved over stdio and their edits applied as a client applies them; the
 * results must be exactly the texts the engine produces in process, which fix-safety.test.ts checks for every
 * invariant. Each fixture is its own workspace folder (its options in a .kgov.yaml, its context files beside it).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { DEFAULT_CONFIG } from '../../server/src/engine/config/config';
import { applyEdits } from '../../server/src/engine/fix/diff';
import { createEngine } from '../../server/src/engine/engine';
import { RULES } from '../../server/src/engine/rules';
import { SchemaCatalog } from '../../server/src/engine/schema/catalog';
import { Workspace } from '../../server/src/engine/workspace';
import { schemasDir } from '../../server/src/host/paths';
import { isCaretLine } from '../helpers/carets';
import { startClient, uri, type TestClient } from '../lsp/client';

const RULES_DIR = resolve(__dirname, '../rules');

interface Fixture {
  ruleId: string;
  name: string;
  folder: string;
  path: string;
  text: string;
  options?: Record<string, unknown>;
  kubernetesVersion?: string;
}

describe('fix safety through the language server', () => {
  const root = mkdtempSync(join(tmpdir(), 'kgov-fix-lsp-'));
  const fixtures: Fixture[] = [];
  let client: TestClient;

  before(async () => {
    for (const ruleId of readdirSync(RULES_DIR).sort()) {
      if (!RULES[ruleId]?.meta.fixable || (process.env.KGOV_RULE && ruleId !== process.env.KGOV_RULE)) continue;
      const dir = join(RULES_DIR, ruleId);
      for (const name of readdirSync(dir).filter((n) => n.startsWith('invalid-') && n.endsWith('.yaml') && !n.endsWith('.fixed.yaml')).sort()) {
        const raw = readFileSync(join(dir, name), 'utf8');
        const header = /^# kgov-test: (\{.*\})\s*$/.exec(raw.split('\n')[0] ?? '');
        const settings = header ? (JSON.parse(header[1] as string) as { options?: Record<string, unknown>; kubernetesVersion?: string }) : {};
        const folder = join(root, ruleId, name.replace(/\.yaml$/, ''));
        mkdirSync(folder, { recursive: true });
        for (const context of readdirSync(dir).filter((n) => n.startsWith('context-'))) cpSync(join(dir, context), join(folder, context));
        const config = [
          ...(settings.kubernetesVersion ? [`kubernetesVersion: "${settings.kubernetesVersion}"`] : []),
          ...(settings.options ? [`rules:\n  ${ruleId}: [${RULES[ruleId]?.meta.defaultSeverity}, ${JSON.stringify(settings.options)}]`] : []),
        ];
        if (config.length > 0) writeFileSync(join(folder, '.kgov.yaml'), `${config.join('\n')}\n`);
        const text = raw.split('\n').filter((line) => !isCaretLine(line)).join('\n');
        const path = join(folder, name);
        writeFileSync(path, text);
        fixtures.push({ ruleId, name, folder, path, text, ...settings });
      }
    }
    if (fixtures.length === 0) return; // KGOV_RULE names a rule without fixes
    const [first, ...rest] = fixtures.map((f) => f.folder);
    client = await startClient({ folder: first as string, moreFolders: rest, pull: true, settings: { preset: 'all' } });
    await client.waitForStatus('ready', 120_000);
  });
  after(async () => {
    await client?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("resolves every fix of each fixture's rule, and fix-all, to the engine's own texts", async (t) => {
    if (fixtures.length === 0) return t.skip(`no fixable rule ${process.env.KGOV_RULE}`);
    const catalog = new SchemaCatalog(schemasDir());
    const mismatches: string[] = [];
    let single = 0;
    let fixAll = 0;
    for (const fixture of fixtures) {
      const target = uri(fixture.path);
      const config = { ...DEFAULT_CONFIG, rules: fixture.options ? { [fixture.ruleId]: { options: fixture.options as never } } : {} };
      const engine = createEngine({ schemasDir: schemasDir(), config, preset: 'all', ...(fixture.kubernetesVersion ? { kubernetesVersion: fixture.kubernetesVersion } : {}) }, catalog);
      const workspace = new Workspace();
      for (const name of readdirSync(fixture.folder).filter((n) => n.endsWith('.yaml') && !n.startsWith('.'))) {
        const path = join(fixture.folder, name);
        workspace.setFile(path, engine.index(path, readFileSync(path, 'utf8')));
      }
      const expected = engine.lint(fixture.path, fixture.text, workspace);
      client.open(target, fixture.text);
      const { items } = await client.connection.sendRequest<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: target } });
      const apply = (action: CodeAction) => TextDocument.applyEdits(TextDocument.create(target, 'yaml', 1, fixture.text), action.edit?.changes?.[target] ?? []);
      for (const diagnostic of items.filter((d) => d.code === fixture.ruleId && (d.data as { fixable?: boolean }).fixable)) {
        const data = diagnostic.data as { docIndex: number; pointer: string; messageId: string };
        const finding = expected.find((f) => f.ruleId === fixture.ruleId && f.docIndex === data.docIndex && f.pointer === data.pointer && f.messageId === data.messageId);
        const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: target }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
        const fix = actions.find((a) => a.title.startsWith('Fix: '));
        if (!finding?.fix || !fix) {
          mismatches.push(`${fixture.ruleId}/${fixture.name}: ${data.pointer}: ${!finding ? 'the engine has no such finding' : 'no Fix action'}`);
          continue;
        }
        single++;
        const resolved = await client.connection.sendRequest<CodeAction>('codeAction/resolve', fix);
        if (apply(resolved) !== applyEdits(fixture.text, engine.fixEdits(fixture.text, finding))) mismatches.push(`${fixture.ruleId}/${fixture.name}: "${fix.title}" differs from the engine's fix`);
      }
      const [all] = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri: target }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } });
      // (Offered exactly when some finding of the file is fixable.)
      if (Boolean(all) !== expected.some((f) => f.fix && !f.suppressed)) mismatches.push(`${fixture.ruleId}/${fixture.name}: source.fixAll.kgov ${all ? 'offered with nothing to fix' : 'missing'}`);
      if (!all) continue;
      fixAll++;
      const resolved = await client.connection.sendRequest<CodeAction>('codeAction/resolve', all);
      if (apply(resolved) !== engine.fixAll(fixture.path, fixture.text, workspace).text) mismatches.push(`${fixture.ruleId}/${fixture.name}: source.fixAll.kgov differs from the engine's fix-all`);
      client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: target } });
    }
    t.diagnostic(`${fixtures.length} fixtures: ${single} fixes and ${fixAll} fix-alls resolved over stdio; ${mismatches.length} mismatches`);
    if (!process.env.KGOV_RULE) assert.ok(single >= 100 && fixAll >= 100);
    assert.deepEqual(mismatches, []);
    assert.deepEqual(client.errors, [], 'the server logged no error');
  });
});
