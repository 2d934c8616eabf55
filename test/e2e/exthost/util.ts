/**
 * Helpers for the extension-host tests. They run inside a real VS Code extension host: code-server's here
 * (test/e2e/run-exthost.mjs), desktop VS Code through @vscode/test-electron elsewhere (scripts/test-vscode.mjs).
 * The workspace is a throwaway copy of examples/ plus test/e2e/fixtures/workspace (test/e2e/workspace.mjs).
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { KgovApi } from '../../../client/src/extension';

export const EXTENSION_ID = 'kgov.kgov';

let api: Promise<KgovApi> | undefined;

/** Activates the extension (once) and waits until its server has indexed the workspace. */
export function kgov(): Promise<KgovApi> {
  api ??= (async () => {
    const ext = vscode.extensions.getExtension<KgovApi>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
    const exported = await ext.activate();
    assert.equal(typeof exported?.ready, 'function', 'activate() must return the test API');
    await withTimeout(exported.ready(), 60000, 'api.ready()');
    return exported;
  })();
  return api;
}

export function extension(): vscode.Extension<KgovApi> {
  const ext = vscode.extensions.getExtension<KgovApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
  return ext;
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need a workspace folder (a copy of examples/)');
  return folder.uri;
}

export const wsUri = (rel: string): vscode.Uri => vscode.Uri.joinPath(workspaceRoot(), ...rel.split('/'));

/** Opens a workspace file in an editor and returns it. */
export async function open(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(wsUri(rel));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Throws away unsaved changes of the file (and closes its editor), so tests do not leak edits into each other. */
export async function revert(rel: string): Promise<void> {
  const uri = wsUri(rel);
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (!doc) return;
  await vscode.window.showTextDocument(doc, { preview: false });
  await vscode.commands.executeCommand('workbench.action.files.revert');
  // the command resolves before the extension host has seen the reverted text
  await eventually(() => {
    assert.equal(doc.isDirty, false, `${rel} is still dirty after revert`);
    assert.equal(doc.getText(), fs.readFileSync(uri.fsPath, 'utf8'), `${rel} differs from the file on disk after revert (saved by mistake?)`);
  }, 10000);
}

/** A diagnostic reduced to what the assertions compare: rule id and range as [line, char, line, char] (0-based). */
export interface Finding {
  rule: string;
  range: [number, number, number, number];
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
}

const SEVERITY: Record<vscode.DiagnosticSeverity, Finding['severity']> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

export function ruleOf(d: vscode.Diagnostic): string {
  const code = d.code;
  return typeof code === 'object' && code !== null ? String(code.value) : String(code);
}

export const rangeOf = (r: vscode.Range): Finding['range'] => [r.start.line, r.start.character, r.end.line, r.end.character];

/** kgov's diagnostics of a file (source 'kgov' only), sorted by position. */
export function findings(uri: vscode.Uri): Finding[] {
  return vscode.languages.getDiagnostics(uri)
    .filter((d) => d.source === 'kgov')
    .map((d) => ({ rule: ruleOf(d), range: rangeOf(d.range), severity: SEVERITY[d.severity], message: d.message }))
    .sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1] || a.rule.localeCompare(b.rule));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Retries `check` (which asserts) until it passes or the time is up; then rethrows its last failure, so a
 * timeout reports the real difference, not just "timed out".
 */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 30000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await sleep(intervalMs);
  }
}

export async function withTimeout<T>(promise: Thenable<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve(promise),
      new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms); }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The kgov findings of a file once they satisfy `check` (diagnostics arrive asynchronously, debounced). */
export function findingsWhen(uri: vscode.Uri, check: (f: Finding[]) => void, timeoutMs = 30000): Promise<Finding[]> {
  return eventually(() => {
    const f = findings(uri);
    check(f);
    return f;
  }, timeoutMs);
}

/** [rule, range] pairs: the shape most assertions compare exactly. */
export const rulesAndRanges = (f: Finding[]): Array<[string, Finding['range']]> => f.map((x) => [x.rule, x.range]);

/**
 * Runs the `kgov` CLI bundled in the installed extension (server/out/cli.js) with the extension host's own
 * runtime: node in code-server, Electron as node in desktop VS Code. Resolves with stdout whatever the exit code.
 */
export function runBundledCli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const cli = path.join(extension().extensionPath, 'server', 'out', 'cli.js');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [cli, ...args], { cwd, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        if (code < 0) reject(new Error(`${cli} failed to run: ${error?.message}\n${stderr}`));
        else resolve({ code, stdout, stderr });
      });
  });
}

/** A copy of the workspace on disk (outside it), for comparing editor results with the CLI's. */
export function copyOfWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kgov-e2e-copy-'));
  fs.cpSync(workspaceRoot().fsPath, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.vscode`) });
  return dir;
}

/** Sets a kgov setting in the workspace and waits until the server has re-linted (the caller's check passes). */
export async function setKgovSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('kgov').update(key, value, vscode.ConfigurationTarget.Workspace);
}

/**
 * The range of the first capture group of `pattern` (with the `d` flag) in the document: lets assertions name the
 * exact token a finding must point at ("the key livenessprobe") instead of hard-coding line numbers.
 */
export function span(doc: vscode.TextDocument, pattern: RegExp): Finding['range'] {
  assert.ok(pattern.hasIndices, `${pattern} needs the d flag`);
  const m = pattern.exec(doc.getText());
  assert.ok(m?.indices?.[1], `${pattern} does not match ${doc.uri.fsPath}`);
  const [start, end] = m.indices[1];
  return rangeOf(new vscode.Range(doc.positionAt(start), doc.positionAt(end)));
}

/** [rule, range] pairs the bundled CLI reports for one file, run on a copy of the whole workspace (same context). */
export async function cliFindings(rel: string, args: string[] = []): Promise<Array<[string, Finding['range']]>> {
  const report = await cliReport(args);
  const file = report.files.find((f) => f.path === rel);
  assert.ok(file, `the CLI report has no entry for ${rel}: ${report.files.map((f) => f.path).join(', ')}`);
  return file.findings
    .map((x): [string, Finding['range']] => [x.ruleId, [x.range.start.line, x.range.start.character, x.range.end.line, x.range.end.character]])
    .sort((a, b) => a[1][0] - b[1][0] || a[1][1] - b[1][1] || a[0].localeCompare(b[0]));
}

interface CliReport {
  files: Array<{ path: string; documents: number; findings: Array<{ ruleId: string; range: vscode.Range }> }>;
  summary: { files: number; documents: number; error: number; warning: number; info: number; suppressed: number };
}

/** `kgov audit . --format json` on a copy of the workspace. */
export async function cliReport(args: string[] = []): Promise<CliReport> {
  const dir = copyOfWorkspace();
  try {
    const { stdout, stderr, code } = await runBundledCli(['audit', '.', '--format', 'json', '--fail-on', 'none', ...args], dir);
    assert.equal(code, 0, `kgov audit exited ${code}: ${stderr}`);
    return JSON.parse(stdout) as CliReport;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
