/**
 * The `yaml` package's Lexer, made to read what kubectl reads. kubectl parses YAML with go-yaml, a port of
 * libyaml, which differs from YAML 1.2 (and the `yaml` package) in two ways that matter on real manifests:
 *
 * - Indentation is ignored inside quoted scalars and flow collections: only a `---` or `...` line at column 0
 *   ends them. Shell-in-YAML like
 *
 *         args: ["
 *           for i in $(seq 3); do echo $i; done
 *         "]
 *
 *   loads with kubectl; YAML 1.2 requires the inner lines to be indented past the parent, and a quote left open
 *   would hide the rest of the file. Where this leniency was needed is recorded (`relaxed`), so kgov can say
 *   that strict YAML 1.2 parsers reject the file.
 * - Tabs are refused in places YAML 1.2 allows them: at the start of a line (even a blank or comment line)
 *   where a token may start, after a block indicator `-`, `?` or `:`, and in the blank lines after a plain
 *   scalar left of its indentation ("found character that cannot start any token", "found a tab character that
 *   violates indentation"). Such tabs are recorded (`tabs`) and reported as syntax errors.
 *
 * The overrides reach into members the package declares private (`buffer`, `pos`, `indentNext`, `flowLevel` and
 * four methods); the `yaml` version is pinned in package.json, and the libyaml differential test
 * (test/differential) fails if they change meaning.
 */
import { type CST, Lexer, Parser } from 'yaml';

interface LexerInternals {
  buffer: string;
  pos: number;
  indentNext: number;
  flowLevel: number;
  continueScalar(offset: number): number;
  parseStream(): Generator<string, string, unknown>;
  parseLineStart(): Generator<string, string, unknown>;
  parseBlockStart(): Generator<string, string, unknown>;
  parseFlowCollection(): Generator<string, string, unknown>;
  parsePlainScalar(): Generator<string, string, unknown>;
  pushIndicators(): Generator<string, number, unknown>;
}

const base = Lexer.prototype as unknown as LexerInternals;

export class LenientLexer extends Lexer {
  /** Line starts where the lexer went on although YAML 1.2 requires more indentation. */
  readonly relaxed: number[] = [];
  /** Offsets of tabs that go-yaml (kubectl) refuses. */
  readonly tabs: number[] = [];
  /** The block indentation an open flow collection must respect under YAML 1.2 (-1 outside flow). */
  flowParentIndent = -1;
  /** Where the blank lines after the last plain scalar end: their tabs were checked with the scalar. */
  plainBlankEnd = 0;
  /** Start of the line being lexed (block context). */
  lineStart = 0;
  /** Columns of the block collections open around the current line, innermost last. */
  readonly blockColumns: number[] = [];
  /** Where block collections first nested more than `maxNesting` deep (-1: they never did). */
  tooDeepAt = -1;

  /** `maxNesting`: block nesting past which the lexer flags the text (the `yaml` Parser recurses per level). */
  constructor(readonly maxNesting = Infinity) {
    super();
  }
}

type Lenient = LexerInternals & Pick<LenientLexer, 'relaxed' | 'tabs' | 'flowParentIndent' | 'plainBlankEnd' | 'lineStart' | 'blockColumns' | 'tooDeepAt' | 'maxNesting'>;

// The overrides go on the prototype because the base class declares these members private.
Object.defineProperties(LenientLexer.prototype, {
  /** A line inside a quoted scalar or a flow collection continues it unless it is a document marker. */
  continueScalar: {
    value(this: Lenient, offset: number): number {
      const quote = this.buffer[this.pos];
      if (this.flowLevel === 0 && quote !== '"' && quote !== "'") return base.continueScalar.call(this, offset);
      if (isDocumentMarker(this.buffer, offset)) return -1;
      // A plain scalar in a flow collection ends at a line starting with `,`, `]` or `}`: that line is the
      // collection's, and judged by its rule.
      const first = this.buffer[offset + spacesAt(this.buffer, offset)];
      const underIndented = this.flowLevel > 0 && quote !== '"' && quote !== "'" && (first === ',' || first === ']' || first === '}' || first === '#')
        ? flowLineUnderIndented(this.buffer, offset, this.flowParentIndent, this.flowLevel === 1)
        : scalarLineUnderIndented(this.buffer, offset, this.flowLevel > 0 ? this.flowParentIndent : this.indentNext);
      if (underIndented) this.relaxed.push(offset);
      return offset;
    },
  },
  /** Flow collections: no indentation rule (indentNext is 0 while inside); document markers still end them. */
  parseFlowCollection: {
    *value(this: Lenient): Generator<string, string, unknown> {
      const blockIndent = this.indentNext;
      if (this.flowParentIndent < 0) this.flowParentIndent = blockIndent;
      const lineStart = nextLineStart(this.buffer, this.pos);
      // At a document marker the base class leaves the collection and sets the indentation itself.
      const atMarker = lineStart !== -1 && isDocumentMarker(this.buffer, lineStart);
      if (lineStart !== -1 && flowLineUnderIndented(this.buffer, lineStart, this.flowParentIndent, this.flowLevel === 1)) {
        this.relaxed.push(lineStart);
      }
      this.indentNext = 0;
      try {
        return yield* base.parseFlowCollection.call(this);
      } finally {
        if (!atMarker) this.indentNext = blockIndent;
        if (this.flowLevel === 0) this.flowParentIndent = -1;
      }
    },
  },
  /**
   * After a plain scalar libyaml reads on through blank lines looking for a continuation; a tab in their leading
   * blanks (or in those of the scalar's own lines) left of the scalar's indentation is an error.
   */
  parsePlainScalar: {
    *value(this: Lenient): Generator<string, string, unknown> {
      const indent = this.flowLevel > 0 ? this.flowParentIndent : this.indentNext;
      const start = this.pos;
      const next = yield* base.parsePlainScalar.call(this);
      const text = this.buffer;
      for (let newline = text.indexOf('\n', start); newline !== -1 && newline < this.pos; newline = text.indexOf('\n', newline + 1)) {
        checkLeadingBlanks(this, newline + 1, indent);
      }
      let at = this.pos;
      while (text[at] === ' ' || text[at] === '\t' || text[at] === '\r') at++;
      while (text[at] === '\n') at = checkLeadingBlanks(this, at + 1, indent);
      this.plainBlankEnd = at;
      return next;
    },
  },
  /** Where a token may start at the beginning of a line, libyaml does not skip tabs. */
  parseLineStart: {
    *value(this: Lenient): Generator<string, string, unknown> {
      if (this.pos >= this.plainBlankEnd) checkLeadingBlanks(this, this.pos, Infinity);
      this.lineStart = this.pos;
      const column = spacesAt(this.buffer, this.pos);
      const first = this.buffer[this.pos + column];
      if (column === 0 && isDocumentMarker(this.buffer, this.pos)) this.blockColumns.length = 0;
      else if (first !== undefined && first !== '\n' && first !== '\r' && first !== '#') nest(this, column);
      return yield* base.parseLineStart.call(this);
    },
  },
  /**
   * `- ` in a flow collection is an error (libyaml: "did not find expected node content"), but the `yaml` Parser
   * still opens a block sequence for each, nested: count them like block nesting.
   */
  pushIndicators: {
    *value(this: Lenient): Generator<string, number, unknown> {
      if (this.flowLevel > 0) {
        const text = this.buffer;
        const lineStart = text.lastIndexOf('\n', this.pos - 1) + 1;
        for (let at = this.pos; (text[at] === '-' || text[at] === '?') && /^[ \t\n\r]?$/.test(text[at + 1] ?? ''); ) {
          this.lineStart = lineStart;
          nest(this, at - lineStart);
          for (at++; text[at] === ' ' || text[at] === '\t'; at++);
        }
      }
      return yield* base.pushIndicators.call(this);
    },
  },
  parseStream: {
    *value(this: Lenient): Generator<string, string, unknown> {
      if (this.pos === 0 || this.buffer[this.pos - 1] === '\n') checkLeadingBlanks(this, this.pos, Infinity);
      return yield* base.parseStream.call(this);
    },
  },
  /** Nor after a block indicator (`- `, `? `, and `: ` of an explicit key). */
  parseBlockStart: {
    *value(this: Lenient): Generator<string, string, unknown> {
      const text = this.buffer;
      const indicator = text[this.pos];
      if (indicator === '-' || indicator === '?' || indicator === ':') {
        let at = this.pos + 1;
        let tab = -1;
        for (; text[at] === ' ' || text[at] === '\t'; at++) if (text[at] === '\t' && tab < 0) tab = at;
        if (tab >= 0) this.tabs.push(tab);
        // `- - x`: what follows an indicator on its line nests one level deeper.
        const next = text[at];
        if (at > this.pos + 1 && next !== undefined && next !== '\n' && next !== '\r' && next !== '#') nest(this, at - this.lineStart);
      }
      return yield* base.parseBlockStart.call(this);
    },
  },
});

/** Content at `column` of a line in block context: the collections at deeper columns are closed, this one opens. */
function nest(lexer: Lenient, column: number): void {
  const columns = lexer.blockColumns;
  while (columns.length > 0 && (columns[columns.length - 1] as number) > column) columns.pop();
  if (columns.length === 0 || (columns[columns.length - 1] as number) < column) columns.push(column);
  if (columns.length > lexer.maxNesting && lexer.tooDeepAt < 0) lexer.tooDeepAt = lexer.lineStart + column;
}

/** Records tabs among the blanks starting a line (at a column left of `limit`); returns where the blanks end. */
function checkLeadingBlanks(lexer: Lenient, lineStart: number, limit: number): number {
  const text = lexer.buffer;
  let at = lineStart;
  for (let c = text[at]; c === ' ' || c === '\t'; c = text[++at]) {
    if (c === '\t' && at - lineStart < limit) {
      lexer.tabs.push(at);
      break;
    }
  }
  while (text[at] === ' ' || text[at] === '\t' || text[at] === '\r') at++;
  return at;
}

function isDocumentMarker(text: string, offset: number): boolean {
  const marker = text.substr(offset, 3);
  if (marker !== '---' && marker !== '...') return false;
  const next = text[offset + 3];
  return next === undefined || next === ' ' || next === '\t' || next === '\n' || next === '\r';
}

/** The start of the next line when only line breaks and space stand between `at` and it, else -1. */
function nextLineStart(text: string, at: number): number {
  let lineStart = -1;
  for (;;) {
    const c = text[at];
    if (c === ' ' || c === '\t' || c === '\r') at++;
    else if (c === '\n') lineStart = ++at;
    else return lineStart;
  }
}

function spacesAt(text: string, at: number): number {
  let end = at;
  while (text[end] === ' ') end++;
  return end - at;
}

/** The strict rule for a scalar's next line: blank, or at least `required` spaces (a tab is not indentation). */
function scalarLineUnderIndented(text: string, lineStart: number, required: number): boolean {
  const indent = spacesAt(text, lineStart);
  const first = text[lineStart + indent];
  return indent < required && first !== undefined && first !== '\n' && first !== '\r';
}

/**
 * The strict rule for a line inside a flow collection, as the `yaml` package applies it: at least `required`
 * spaces, except for comment lines and, for the outermost collection, a closing bracket one column further out.
 */
function flowLineUnderIndented(text: string, lineStart: number, required: number, outermost: boolean): boolean {
  const indent = spacesAt(text, lineStart);
  if (indent >= required) return false;
  let at = lineStart + indent;
  while (text[at] === ' ' || text[at] === '\t') at++;
  const first = text[at];
  if (first === '#' || first === undefined) return false;
  return !(outermost && (first === ']' || first === '}') && indent === required - 1);
}

/** Line breaks libyaml knows besides \n: a lone \r, NEL, and the Unicode line and paragraph separators. */
const OTHER_LINE_BREAK = /\r(?!\n)|[\u0085\u2028\u2029]/;
const OTHER_LINE_BREAKS = new RegExp(OTHER_LINE_BREAK.source, 'g');

export interface LenientParse {
  tokens: CST.Token[];
  relaxed: number[];
  tabs: number[];
  /** Block collections nest deeper than asked for here: the text was not parsed (`tokens` is empty). */
  tooDeepAt?: number;
}

/**
 * The CST of `text` from the LenientLexer. Line breaks other than \n and \r\n are lexed as \n (same length, so
 * every offset holds), as libyaml treats them. Block collections nested deeper than `maxNesting` stop the parse:
 * the `yaml` Parser closes them recursively, one stack frame per level, when a less indented line follows.
 */
export function parseLeniently(text: string, maxNesting = Infinity): LenientParse {
  const lexed = OTHER_LINE_BREAK.test(text) ? text.replace(OTHER_LINE_BREAKS, '\n') : text;
  const lexer = new LenientLexer(maxNesting);
  const parser = new Parser();
  const tokens: CST.Token[] = [];
  for (const lexeme of lexer.lex(lexed)) {
    if (lexer.tooDeepAt >= 0) return { tokens: [], relaxed: [], tabs: [], tooDeepAt: lexer.tooDeepAt };
    for (const token of parser.next(lexeme)) tokens.push(token);
  }
  for (const token of parser.end()) tokens.push(token);
  return { tokens, relaxed: lexer.relaxed, tabs: lexer.tabs };
}
