/**
 * Invariants every fuzz input must keep, shared by the engine and the language-server drivers: ranges inside
 * the document (in the LSP's own line model: `\n`, `\r\n` and a lone `\r` end lines; characters are UTF-16),
 * spans inside the text, and a per-input budget measured in CPU time so that a busy machine does not fail it.
 */
import { readFileSync } from 'node:fs';
import type { Range, Span } from '../../server/src/engine/types';

/** LSP lines of a text: what a client sees (vscode-languageserver-textdocument splits at \r\n, \r and \n). */
export class LspLines {
  readonly lengths: number[] = [];

  constructor(text: string) {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) {
        this.lengths.push(i - start);
        if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
      }
    }
    this.lengths.push(text.length - start);
  }

  /** Why a range is not inside the document, or undefined when it is. */
  problem(range: Range): string | undefined {
    const { start, end } = range;
    for (const [name, p] of [['start', start], ['end', end]] as const) {
      if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0) return `${name} ${JSON.stringify(p)} is not a position`;
      if (p.line >= this.lengths.length) return `${name} line ${p.line} is past the last line (${this.lengths.length - 1})`;
      const length = this.lengths[p.line] as number;
      if (p.character > length) return `${name} ${p.line}:${p.character} is past the end of its line (length ${length})`;
    }
    if (end.line < start.line || (end.line === start.line && end.character < start.character)) return `ends before it starts: ${JSON.stringify(range)}`;
    return undefined;
  }
}

export function spanProblem(span: Span, length: number): string | undefined {
  if (!Number.isInteger(span.start) || !Number.isInteger(span.end)) return `span ${JSON.stringify(span)} is not integral`;
  if (span.start < 0 || span.end > length || span.start > span.end) return `span ${JSON.stringify(span)} is outside the text (length ${length})`;
  return undefined;
}

/** Per-input budget (issue 8: every input handled within 2 s). */
export const BUDGET_MS = 2000;

/** CPU time of this process (all threads) in milliseconds. */
export function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** CPU time of another process (utime + stime from /proc), in milliseconds; undefined where /proc is missing. */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** One failure the fuzzer found: what kind, on which input, and the details to reproduce it. */
export interface FuzzFailure {
  category: 'crash' | 'internal-error' | 'range' | 'slow' | 'hang' | 'unresponsive' | 'rejection' | 'fix';
  where: 'engine' | 'lsp' | 'audit';
  input: number;
  kind: string;
  source?: string;
  detail: string;
}
