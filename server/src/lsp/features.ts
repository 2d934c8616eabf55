/**
 * Editor features: hover (field documentation and the docs of the rules under the cursor), completion, document
 * symbols, and code actions (routed to actions.ts, with edits resolved now or on codeAction/resolve).
 */
import {
  CompletionItemKind, InsertTextFormat, MarkupKind, SymbolKind, type CodeAction, type CompletionItem, type DocumentSymbol,
} from 'vscode-languageserver/node';
import { allRuleInfo, complete, type DocumentSymbol as EngineSymbol, documentSymbols, hover } from '../engine';
import { codeActions, resolveEdit, type ActionData } from './actions';
import { pathOf } from './convert';
import { lintDocument } from './diagnostics';
import { folderOf, guarded, type ServerState } from './state';

export function registerFeatures(state: ServerState): void {
  const { connection, documents } = state;

  connection.onCodeAction((params) =>
    guarded(state, 'code actions', [], () => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return [];
      const path = pathOf(document.uri);
      const all = lintDocument(state, document);
      const inRange = params.context.diagnostics.length > 0 ? params.context.diagnostics : all.filter((d) =>
        d.range.start.line <= params.range.end.line && d.range.end.line >= params.range.start.line);
      const actions = codeActions(document.uri, inRange, all, params.context.only);
      const resolveSupported = state.capabilities.textDocument?.codeAction?.resolveSupport?.properties?.includes('edit') === true;
      if (resolveSupported) return actions;
      const folder = folderOf(state, path);
      const { engine } = folder.engineFor(path);
      return actions.map((action) => (action.data ? { ...action, edit: resolveEdit(document, action.data as ActionData, { engine, workspace: folder.workspace, path }) } : action));
    }));

  connection.onCodeActionResolve((action: CodeAction) =>
    guarded(state, 'resolving a code action', action, () => {
      const data = action.data as ActionData | undefined;
      const document = data ? documents.get(data.uri) : undefined;
      if (!data || !document) return action;
      const path = pathOf(document.uri);
      const folder = folderOf(state, path);
      const edit = resolveEdit(document, data, { engine: folder.engineFor(path).engine, workspace: folder.workspace, path });
      return edit ? { ...action, edit } : action;
    }));

  connection.onHover((params, token) =>
    guarded(state, 'hover', null, () => {
      const document = documents.get(params.textDocument.uri);
      if (!document || token.isCancellationRequested) return null;
      const path = pathOf(document.uri);
      const folder = folderOf(state, path);
      const offset = document.offsetAt(params.position);
      const field = hover(folder.engineFor(path).engine, path, document.getText(), offset, folder.workspace);
      // Rule docs for the diagnostics under the cursor: the fast path (cross-resource results of unchanged documents
      // as last computed) spares a whole-workspace re-check per hover while the index grows.
      const here = lintDocument(state, document, 'typing').filter((d) =>
        (d.range.start.line < params.position.line || (d.range.start.line === params.position.line && d.range.start.character <= params.position.character))
        && (d.range.end.line > params.position.line || (d.range.end.line === params.position.line && d.range.end.character >= params.position.character)));
      const infos = allRuleInfo();
      const ruleDocs = [...new Set(here.map((d) => String(d.code)))].map((id) => infos.find((r) => r.id === id)).filter((r) => r !== undefined)
        .map((r) => `**kgov ${r.id}** — ${r.summary}\n\n${r.rationale}\n\n[Documentation](${r.url})`);
      const parts = [...(field ? [field.contents] : []), ...ruleDocs];
      if (parts.length === 0) return null;
      const range = field ? { start: document.positionAt(field.span.start), end: document.positionAt(field.span.end) } : undefined;
      return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') }, ...(range ? { range } : {}) };
    }));

  connection.onCompletion((params, token) =>
    guarded(state, 'completion', [], () => {
      const document = documents.get(params.textDocument.uri);
      if (!document || token.isCancellationRequested) return [];
      const path = pathOf(document.uri);
      const folder = folderOf(state, path);
      const items = complete(folder.engineFor(path).engine, path, document.getText(), document.offsetAt(params.position), folder.workspace);
      return items.map((item): CompletionItem => ({
        label: item.label,
        kind: item.kind === 'property' ? CompletionItemKind.Property : item.kind === 'snippet' ? CompletionItemKind.Snippet : item.kind === 'kind' ? CompletionItemKind.Class : CompletionItemKind.Value,
        insertText: item.insertText,
        ...(item.snippet ? { insertTextFormat: InsertTextFormat.Snippet } : {}),
        ...(item.detail ? { detail: item.detail } : {}),
        ...(item.documentation ? { documentation: { kind: MarkupKind.Markdown, value: item.documentation } } : {}),
        sortText: `${item.preferred ? '0' : '1'}${item.label}`,
      }));
    }));

  connection.onDocumentSymbol((params) =>
    guarded(state, 'document symbols', [], () => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return [];
      const path = pathOf(document.uri);
      const convert = (s: EngineSymbol): DocumentSymbol => ({
        name: s.name, detail: s.detail, kind: s.kind === 'resource' ? SymbolKind.Class : SymbolKind.Field,
        range: { start: document.positionAt(s.span.start), end: document.positionAt(s.span.end) },
        selectionRange: { start: document.positionAt(s.selection.start), end: document.positionAt(s.selection.end) },
        children: s.children.map(convert),
      });
      return documentSymbols(folderOf(state, path).engineFor(path).engine, path, document.getText()).map(convert);
    }));
}
