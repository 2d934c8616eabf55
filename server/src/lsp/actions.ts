/**
 * The code-action family (DESIGN §5), the same for every rule R: "Fix: <title>" (preferred), "Fix all R in
 * this file", "Ignore R for this object" (annotation), "Ignore R for this line" (comment), "Show documentation
 * for R"; plus `source.fixAll.kgov`. Edits are computed when an action is resolved, on the current text.
 */
import { CodeAction, CodeActionKind, type Diagnostic, type TextEdit as LspTextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { FixError, ignoreForLine, ignoreForObject, textEdits, type Engine, type Finding, type TextEdit, type Workspace } from '../engine';
import { Commands, type DiagnosticData } from '../shared/protocol';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.kgov`;

export type ActionData =
  | { type: 'fix'; uri: string; diagnostic: DiagnosticData }
  | { type: 'fixRule'; uri: string; ruleId: string }
  | { type: 'ignoreObject'; uri: string; diagnostic: DiagnosticData }
  | { type: 'ignoreLine'; uri: string; ruleId: string; line: number }
  | { type: 'fixAll'; uri: string };

export interface ActionContext {
  engine: Engine;
  workspace: Workspace;
  path: string;
}

function isKgov(d: Diagnostic): d is Diagnostic & { data: DiagnosticData } {
  return d.source === 'kgov' && typeof d.data === 'object' && d.data !== null && typeof (d.data as DiagnosticData).ruleId === 'string';
}

/** The actions for the diagnostics under the cursor (edits left for resolve). */
export function codeActions(uri: string, diagnostics: Diagnostic[], all: Diagnostic[], only: string[] | undefined): CodeAction[] {
  const out: CodeAction[] = [];
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  if (only?.some((o) => FIX_ALL_KIND.startsWith(o) && o.startsWith(CodeActionKind.Source))) {
    if (all.some((d) => isKgov(d) && d.data.fixable)) {
      const action = CodeAction.create('Fix all kgov problems', FIX_ALL_KIND);
      action.data = { type: 'fixAll', uri } satisfies ActionData;
      out.push(action);
    }
    return out;
  }
  if (!wants(CodeActionKind.QuickFix)) return out;
  const seenRules = new Set<string>();
  for (const diagnostic of diagnostics.filter(isKgov)) {
    const data = diagnostic.data;
    const rule = data.ruleId;
    if (data.fixable && data.fixTitle) {
      const fix = CodeAction.create(`Fix: ${data.fixTitle}`, CodeActionKind.QuickFix);
      fix.diagnostics = [diagnostic];
      fix.isPreferred = true;
      fix.data = { type: 'fix', uri, diagnostic: data } satisfies ActionData;
      out.push(fix);
    }
    if (seenRules.has(rule)) continue;
    seenRules.add(rule);
    if (all.filter((d) => isKgov(d) && d.data.ruleId === rule && d.data.fixable).length > 1) {
      const fixRule = CodeAction.create(`Fix all ${rule} problems in this file`, CodeActionKind.QuickFix);
      fixRule.data = { type: 'fixRule', uri, ruleId: rule } satisfies ActionData;
      out.push(fixRule);
    }
    if (!rule.startsWith('yaml/') && !rule.startsWith('config/') && data.resourcePointer !== undefined) {
      const ignore = CodeAction.create(`Ignore ${rule} for this object`, CodeActionKind.QuickFix);
      ignore.diagnostics = [diagnostic];
      ignore.data = { type: 'ignoreObject', uri, diagnostic: data } satisfies ActionData;
      out.push(ignore);
    }
    const line = CodeAction.create(`Ignore ${rule} for this line`, CodeActionKind.QuickFix);
    line.diagnostics = [diagnostic];
    line.data = { type: 'ignoreLine', uri, ruleId: rule, line: diagnostic.range.start.line } satisfies ActionData;
    out.push(line);
    const docs = CodeAction.create(`Show documentation for ${rule}`, { title: `Show documentation for ${rule}`, command: Commands.showRuleDocumentation, arguments: [rule] }, CodeActionKind.QuickFix);
    out.push(docs);
  }
  return out;
}

function toLspEdits(document: TextDocument, edits: TextEdit[]): LspTextEdit[] {
  return edits.map((e) => ({ range: { start: document.positionAt(e.start), end: document.positionAt(e.end) }, newText: e.text }));
}

function sameFinding(f: Finding, d: DiagnosticData): boolean {
  return f.ruleId === d.ruleId && f.docIndex === d.docIndex && f.pointer === d.pointer && f.messageId === d.messageId;
}

/**
 * Computes the edit of an action on the document's current text; undefined when there is nothing to do, or when
 * the text no longer allows it (a FixError: e.g. `metadata` is not a mapping, so no annotation can go there).
 */
export function resolveEdit(document: TextDocument, data: ActionData, ctx: ActionContext): WorkspaceEdit | undefined {
  try {
    return computeEdit(document, data, ctx);
  } catch (error) {
    if (error instanceof FixError) return undefined;
    throw error;
  }
}

function computeEdit(document: TextDocument, data: ActionData, ctx: ActionContext): WorkspaceEdit | undefined {
  const text = document.getText();
  const edit = (edits: TextEdit[]): WorkspaceEdit | undefined => (edits.length > 0 ? { changes: { [document.uri]: toLspEdits(document, edits) } } : undefined);
  switch (data.type) {
    case 'fix': {
      const finding = ctx.engine.lint(ctx.path, text, ctx.workspace).find((f) => sameFinding(f, data.diagnostic));
      return finding?.fix ? edit(ctx.engine.fixEdits(text, finding)) : undefined;
    }
    case 'fixRule':
      return edit(textEdits(text, ctx.engine.fixAll(ctx.path, text, ctx.workspace, (f) => f.ruleId === data.ruleId).text));
    case 'fixAll':
      return edit(textEdits(text, ctx.engine.fixAll(ctx.path, text, ctx.workspace).text));
    case 'ignoreObject':
      return edit(textEdits(text, ignoreForObject(text, data.diagnostic.docIndex, data.diagnostic.resourcePointer ?? '', data.diagnostic.ruleId)));
    case 'ignoreLine':
      return edit([ignoreForLine(text, document.offsetAt({ line: data.line, character: 0 }), data.ruleId)]);
  }
}
