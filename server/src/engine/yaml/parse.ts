/**
 * YAML text -> `---` documents with values and source spans. One parser (the `yaml` package) for everything:
 * its CST feeds the fast composer, and its Composer is the authority on syntax errors.
 */
import { Composer, CST, Lexer, Parser } from 'yaml';
import type { Span } from '../types';
import { composeDocument, type ComposedDocument, type YamlProblem } from './compose';

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
  for (const lexeme of new Lexer().lex(text)) {
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
  const tokens = [...new Parser().parse(text)];
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
    documents.push({
      value: null, valueSpan: at, problems: [{ ruleId: 'yaml/syntax', message: strayError.message, span: at }],
      suspicious: true, aliasBombed: false, tooDeep: false, comments: [], span: { start: strayError.offset, end: text.length }, broken: true,
    });
  }
  return documents;
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
