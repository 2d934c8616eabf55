/**
 * YAML text -> `---` documents with values and source spans. One parser (the `yaml` package) for everything:
 * its CST feeds the fast composer, and its Composer is the authority on syntax errors.
 */
import { Composer, CST } from 'yaml';
import type { Span } from '../types';
import { composeDocument, MAX_DEPTH, tooDeepMessage, type ComposedDocument, type YamlProblem } from './compose';
import { LenientLexer, parseLeniently } from './lexer';

export interface ParsedDocument extends ComposedDocument {
  index: number;
  /** From the document's first token to the start of the next one (chunk-relative, like every span here). */
  span: Span;
  /** Has syntax errors: only those are reported, the content is not validated. */
  broken: boolean;
}


/**
 * One `---` chunk, parsed: shared by every file (and every version of a file) holding the same chunk text, so
 * per-chunk caches key on the object itself rather than on its (long) text.
 */
export interface ParsedChunk {
  readonly text: string;
  readonly documents: readonly ParsedDocument[];
  /** A template directive outside string scalars (chunk-relative): the file is a template. */
  readonly template?: Span;
}

const LEXER_MARKERS = new Set([CST.DOCUMENT, CST.FLOW_END, CST.SCALAR]);

/** Finds `{{` where YAML sees a flow mapping start, i.e. not inside any string scalar. */
export function findTemplateDirective(text: string): Span | undefined {
  if (!text.includes('{{')) return undefined;
  let offset = 0;
  for (const lexeme of new LenientLexer().lex(text)) {
    if (lexeme === '{' && text.charCodeAt(offset + 1) === 123) {
      const close = text.indexOf('}}', offset);
      const lineEnd = text.indexOf('\n', offset);
      const end = close !== -1 && (lineEnd === -1 || close < lineEnd) ? close + 2 : lineEnd === -1 ? text.length : lineEnd;
      return { start: offset, end };
    }
    if (!(lexeme.length === 1 && LEXER_MARKERS.has(lexeme))) offset += lexeme.length;
  }
  return undefined;
}

/** Asks the `yaml` Composer for the syntax errors of one document (its CST tokens, with any directives). */
function syntaxErrors(tokens: CST.Token[], text: string): YamlProblem[] {
  const composer = new Composer({ version: '1.1', uniqueKeys: false, strict: true });
  const problems: YamlProblem[] = [];
  const openers = unclosedOpeners(tokens);
  const collect = (docs: Iterable<{ errors: Array<{ pos: [number, number]; message: string }> }>) => {
    for (const doc of docs) {
      for (const error of doc.errors) {
        // "…must end with a ]" and "Missing closing quote" are found at the end of the text; the fix is at the opener.
        const unclosed = /end with an? [\]}]|Missing closing/.test(error.message);
        const opener = unclosed ? openers.filter((o) => o < error.pos[0]).at(-1) : undefined;
        const span = opener !== undefined ? { start: opener, end: opener + 1 } : visibleSpan(text, error.pos[0], error.pos[1]);
        problems.push({ ruleId: 'yaml/syntax', message: cleanMessage(error.message), span });
      }
    }
  };
  for (const token of tokens) collect(composer.next(token));
  collect(composer.end());
  return problems;
}

/** Offsets of flow collections without their closing bracket and of quoted scalars without their closing quote. */
function unclosedOpeners(tokens: CST.Token[]): number[] {
  const out: number[] = [];
  const visit = (token: CST.Token | null | undefined): void => {
    if (!token) return;
    switch (token.type) {
      case 'document':
        token.start.forEach(visit);
        visit(token.value);
        break;
      case 'block-map':
      case 'block-seq':
        for (const item of token.items) {
          item.start.forEach(visit);
          visit('key' in item ? item.key : undefined);
          visit(item.value);
        }
        break;
      case 'flow-collection': {
        const close = token.start.source === '{' ? '}' : ']';
        if (token.end[0]?.source !== close) out.push(token.start.offset);
        for (const item of token.items) {
          visit(item.key);
          visit(item.value);
        }
        break;
      }
      case 'single-quoted-scalar':
      case 'double-quoted-scalar': {
        const quote = token.source[0] as string;
        if (token.source.length < 2 || !token.source.endsWith(quote)) out.push(token.offset);
        break;
      }
      default:
    }
  };
  tokens.forEach(visit);
  return out.sort((a, b) => a - b);
}

/** An error at the very end (an unclosed `[`) is shown on the last character written, not after it. */
function visibleSpan(text: string, start: number, end: number): Span {
  if (start < text.length) return { start, end: Math.max(Math.min(end, text.length), start + 1) };
  let last = text.length - 1;
  while (last > 0 && /\s/.test(text[last] as string)) last--;
  const at = Math.max(0, last);
  return { start: at, end: Math.min(text.length, at + 1) };
}

/** The `yaml` package appends a code frame to messages; a diagnostic wants the sentence only. */
function cleanMessage(message: string): string {
  const firstLine = message.split('\n')[0] ?? message;
  return firstLine.replace(/ at line \d+, column \d+:?$/, '').trim();
}

/** One `---`-separated piece of a file. Spans inside its documents are relative to `start`. */
export interface Chunk {
  start: number;
  text: string;
}

const DOCUMENT_START = /^---(?=[ \t\r\n]|$)/gm;

/**
 * Splits a file at `---` lines. A marker at column 0 always ends the previous document in YAML (even inside a
 * block scalar), so each piece parses on its own and an edit re-parses only the piece it touched.
 */
export function splitDocuments(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let start = 0;
  DOCUMENT_START.lastIndex = 0;
  for (let match = DOCUMENT_START.exec(text); match; match = DOCUMENT_START.exec(text)) {
    if (match.index > start) chunks.push({ start, text: text.slice(start, match.index) });
    start = match.index;
    DOCUMENT_START.lastIndex = match.index + 3;
  }
  if (start < text.length || chunks.length === 0) chunks.push({ start, text: text.slice(start) });
  return chunks;
}

/** Parses one chunk into its documents (usually one; none for a comments-only chunk). Spans are chunk-relative. */
export function parseChunk(text: string): Array<Omit<ParsedDocument, 'index'>> {
  const { tokens, relaxed, tabs, tooDeepAt } = parseLeniently(text, MAX_DEPTH);
  if (tooDeepAt !== undefined) {
    const at = { start: tooDeepAt, end: tooDeepAt + 1 };
    return [brokenDocument(at, tooDeepMessage(), { start: 0, end: text.length }, 'yaml/too-deep')];
  }
  const control = CONTROL_CHARACTER.exec(text)?.index;
  const documents: Array<Omit<ParsedDocument, 'index'>> = [];
  let prelude: CST.Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as CST.Token;
    if (token.type !== 'document') {
      if (token.type === 'error') {
        const previous = documents[documents.length - 1];
        if (previous) {
          previous.problems.push({ ruleId: 'yaml/syntax', message: token.message, span: errorSpan(text, token) });
          previous.broken = true;
        } else prelude.push(token);
      } else if (token.type === 'directive') {
        prelude.push(token);
      }
      continue;
    }
    let following: CST.Token | undefined;
    for (let j = i + 1; j < tokens.length && !following; j++) if (tokens[j]?.type === 'document') following = tokens[j];
    const composed = composeDocument(token);
    const document = { ...composed, span: { start: token.offset, end: following ? following.offset : text.length }, broken: false };
    const trailing = tokens[i + 1]?.type === 'doc-end' ? [tokens[i + 1] as CST.Token] : [];
    if (composed.tooDeep) {
      // The `yaml` Composer recurses per level too: only the depth problem is reported.
      document.broken = true;
    } else if (composed.suspicious || prelude.length > 0 || trailing.some(hasUnexpectedEnd)) {
      const errors = syntaxErrors([...prelude, token, ...trailing], text);
      if (errors.length > 0) {
        document.problems.unshift(...errors);
        document.broken = true;
      }
    }
    prelude = [];
    documents.push(document);
  }
  const strayError = prelude.find((t): t is CST.ErrorToken => t.type === 'error');
  if (strayError) {
    const at = errorSpan(text, strayError);
    documents.push(brokenDocument(at, strayError.message, { start: strayError.offset, end: text.length }));
  }
  if (tabs.length > 0 || control !== undefined) refusedByGoYaml(documents, tabs, control, text);
  for (const document of documents) {
    if (!document.broken && document.problems.some((p) => p.ruleId === 'yaml/syntax')) document.broken = true;
    if (relaxed.length > 0 && !document.broken) noteRelaxedIndentation(document, relaxed, text);
  }
  return documents;
}

function brokenDocument(at: Span, message: string, span: Span, ruleId: YamlProblem['ruleId'] = 'yaml/syntax'): Omit<ParsedDocument, 'index'> {
  return {
    value: null, valueSpan: at, problems: [{ ruleId, message, span: at }],
    suspicious: true, aliasBombed: false, tooDeep: ruleId === 'yaml/too-deep', comments: [], span, broken: true,
  };
}

/** Characters YAML does not allow in a stream (libyaml and go-yaml refuse them; a byte-order mark is allowed). */
const CONTROL_CHARACTER = /[^\t\n\r\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * Tabs where go-yaml allows none (see lexer.ts) and control characters: kubectl refuses the document they are in
 * (the first one of each per document is reported). One in the comments before a document belongs to that
 * document; in a chunk of nothing but comments and space, it makes a document of its own.
 */
function refusedByGoYaml(documents: Array<Omit<ParsedDocument, 'index'>>, tabs: number[], control: number | undefined, text: string): void {
  const TAB = 'A tab where kubectl\'s YAML parser allows only spaces ("found character that cannot start any token" or "found a tab character that violates indentation"); use spaces.';
  const found: Array<{ at: number; message: string }> = tabs.map((at) => ({ at, message: TAB }));
  if (control !== undefined) {
    const code = (text.codePointAt(control) as number).toString(16).toUpperCase().padStart(4, '0');
    found.push({ at: control, message: `The control character U+${code} is not allowed in YAML (kubectl: "control characters are not allowed").` });
  }
  for (const { at, message } of found) {
    const span = { start: at, end: at + 1 };
    const document = documents.find((d) => at < d.span.end) ?? documents.at(-1);
    if (!document) documents.push(brokenDocument(span, message, { start: 0, end: text.length }));
    else if (!document.problems.some((p) => p.message === message)) document.problems.push({ ruleId: 'yaml/syntax', message, span });
  }
}

/**
 * One info finding per document on the first line that only kubectl's leniency accepts (see lexer.ts): the
 * file works with kubectl, but strict YAML 1.2 tools (and editors' YAML support) reject it.
 */
function noteRelaxedIndentation(document: Omit<ParsedDocument, 'index'>, relaxed: number[], text: string): void {
  const inside = relaxed.filter((offset) => offset >= document.span.start && offset < document.span.end);
  const first = inside[0];
  if (first === undefined) return;
  let start = first;
  while (text[start] === ' ' || text[start] === '\t') start++;
  let end = text.indexOf('\n', start);
  if (end === -1) end = text.length;
  while (end > start && /\s/.test(text[end - 1] as string)) end--;
  const more = inside.length > 1 ? ` (and ${inside.length - 1} more line${inside.length > 2 ? 's' : ''} in this document)` : '';
  document.problems.push({
    ruleId: 'yaml/lenient-indentation',
    message: `This line continues a quoted string or flow collection with less indentation than YAML 1.2 requires${more}: kubectl loads it, strict YAML 1.2 parsers reject it.`,
    span: { start, end: Math.max(end, start + 1) },
  });
}

/**
 * The span of an error token, inside the text: the parser's own markers (an unclosed flow collection ends in a
 * control character that is not in the text, at its very end) are shown on the last character written.
 */
function errorSpan(text: string, token: CST.ErrorToken): Span {
  const length = token.source.length > 0 && text.startsWith(token.source, token.offset) ? token.source.length : 1;
  return visibleSpan(text, token.offset, token.offset + length);
}

function hasUnexpectedEnd(token: CST.Token): boolean {
  return token.type === 'doc-end' && (token.end ?? []).some((t) => t.type !== 'space' && t.type !== 'newline' && t.type !== 'comment');
}
