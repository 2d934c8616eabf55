import type { Position, Range, Span } from '../types';

/**
 * Offsets <-> LSP positions for one text, its line starts found only as far as positions are asked for. Lines end
 * where the LSP says they do: at \n, \r\n and a lone \r (so ranges in a file with old Mac line ends land where
 * editors show them).
 */
export class LineIndex {
  private readonly starts = [0];
  /** The text is scanned for line starts only as far as positions are asked for (a 50 MB file's line 1 is cheap). */
  private scanned = 0;
  /** A lone \r ends a line too; it is rare, and only then is the text scanned character by character. */
  private loneCr: boolean | undefined;

  constructor(readonly text: string) {}

  /** Scans until every line start at or before `offset` is known and there are more than `lines` starts (or the end). */
  private scan(offset: number, lines = 0): number[] {
    const { text, starts } = this;
    this.loneCr ??= text.includes('\r') && /\r(?!\n)/.test(text);
    while (this.scanned < text.length && (this.scanned <= offset || starts.length <= lines)) {
      if (this.loneCr) {
        const c = text.charCodeAt(this.scanned++);
        if (c === 10 || (c === 13 && text.charCodeAt(this.scanned) !== 10)) starts.push(this.scanned);
        continue;
      }
      const newline = text.indexOf('\n', this.scanned);
      this.scanned = newline === -1 ? text.length : newline + 1;
      if (newline !== -1) starts.push(this.scanned);
    }
    return starts;
  }

  get lineCount(): number {
    return this.scan(Infinity).length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.scan(clamped);
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] as number) <= clamped) low = mid;
      else high = mid - 1;
    }
    // Between the \r and the \n of a line end is no position an editor knows: it is the end of the line.
    const inLineBreak = clamped > 0 && this.text.charCodeAt(clamped - 1) === 13 && this.text.charCodeAt(clamped) === 10;
    return { line: low, character: clamped - (starts[low] as number) - (inLineBreak ? 1 : 0) };
  }

  offsetAt(position: Position): number {
    const starts = this.scan(0, position.line + 1);
    if (position.line >= starts.length) return this.text.length;
    const start = starts[Math.max(0, position.line)] as number;
    const next = position.line + 1 < starts.length ? (starts[position.line + 1] as number) : this.text.length;
    return Math.min(start + Math.max(0, position.character), next);
  }

  rangeOf(span: Span): Range {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }

  /** Start offset of the line holding `offset`. */
  lineStartOf(offset: number): number {
    return this.offsetAt({ line: this.positionAt(offset).line, character: 0 });
  }

  lineText(line: number): string {
    const starts = this.scan(0, line + 1);
    const start = starts[line] ?? this.text.length;
    const end = line + 1 < starts.length ? (starts[line + 1] as number) : this.text.length;
    return this.text.slice(start, end).replace(/\r?\n$|\r$/, '');
  }
}
