import type { Position, Range, Span } from './types';

/**
 * Offsets <-> LSP positions for one text. Line starts are computed once, on first use. Lines end where the LSP
 * says they do: at \n, \r\n and a lone \r (so ranges in a file with old Mac line ends land where editors show them).
 */
export class LineIndex {
  private starts: number[] | undefined;

  constructor(readonly text: string) {}

  private lineStarts(): number[] {
    if (this.starts) return this.starts;
    const starts = [0];
    const text = this.text;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    // A lone \r is rare: only then is the text scanned again, character by character.
    if (text.includes('\r') && /\r(?!\n)/.test(text)) {
      starts.length = 1;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
      }
    }
    this.starts = starts;
    return starts;
  }

  get lineCount(): number {
    return this.lineStarts().length;
  }

  positionAt(offset: number): Position {
    const starts = this.lineStarts();
    const clamped = Math.max(0, Math.min(offset, this.text.length));
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
    const starts = this.lineStarts();
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
    const starts = this.lineStarts();
    const start = starts[line] ?? this.text.length;
    const end = line + 1 < starts.length ? (starts[line + 1] as number) : this.text.length;
    return this.text.slice(start, end).replace(/\r?\n$|\r$/, '');
  }
}
