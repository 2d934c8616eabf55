/**
 * Feeds fuzz inputs to the engine in process, as the CLI and the server use it: decode, index into a workspace
 * holding the corpus, lint, checklist, hover, completion and document symbols at random offsets, and (for a
 * share of the inputs) every fix. Any exception is a crash; a `kgov/internal-error` finding is a rule that threw.
 */
import { fileChecklist } from '../../server/src/engine/features/checklist';
import { createEngine, type Engine } from '../../server/src/engine/engine';
import { complete, documentSymbols, hover } from '../../server/src/engine';
import { FixError } from '../../server/src/engine/fix/edits';
import { SchemaCatalog } from '../../server/src/engine/schema/catalog';
import { LineIndex } from '../../server/src/engine/util/line-index';
import { Workspace } from '../../server/src/engine/workspace';
import { decode } from '../../server/src/host/files';
import { schemasDir } from '../../server/src/host/paths';
import { random, type CorpusFile } from '../unit/helpers/corpus';
import { BUDGET_MS, cpuMs, LspLines, spanProblem, type FuzzFailure } from './check';
import type { FuzzInput } from './inputs';

export const FUZZ_PATH = '/fuzz/workspace/input.yaml';

type Timed = <T>(label: string, operation: () => T) => T;

export interface EngineDriverOptions {
  /** Share of inputs whose fixes are all applied (fixAll is many lints). */
  fixShare: number;
  /** Hover and completion requests per input, at random offsets. */
  probes: number;
}

export class EngineDriver {
  private readonly catalog = new SchemaCatalog(schemasDir());
  private engine: Engine;
  private readonly workspace = new Workspace();
  readonly stats = { inputs: 0, findings: 0, fixesApplied: 0, fixRuns: 0, maxCpuMs: 0, slowestOperation: '', retried: 0 };

  constructor(files: CorpusFile[], private readonly options: EngineDriverOptions) {
    this.engine = this.freshEngine();
    for (const f of files) this.workspace.setFile(`/fuzz/workspace/${f.relative}`, this.engine.index(`/fuzz/workspace/${f.relative}`, f.text));
  }

  private freshEngine(): Engine {
    return createEngine({ schemasDir: schemasDir(), preset: 'all' }, this.catalog);
  }

  /** Runs one input; returns the failures it caused (empty when it was handled well). */
  run(input: FuzzInput): FuzzFailure[] {
    this.stats.inputs++;
    const failures: FuzzFailure[] = [];
    const fail = (category: FuzzFailure['category'], detail: string) =>
      failures.push({ category, where: 'engine', input: input.index, kind: input.kind, ...(input.source ? { source: input.source } : {}), detail });
    // The budget is per operation (what one editor request or one CLI file costs), in CPU time.
    const attempt = (engine: Engine) => {
      const slowest = { label: '', ms: 0 };
      const timed: Timed = (label, operation) => {
        const started = cpuMs();
        try {
          return operation();
        } finally {
          const spent = cpuMs() - started;
          if (spent > slowest.ms) Object.assign(slowest, { label, ms: spent });
        }
      };
      try {
        this.exercise(engine, input, fail, timed);
      } catch (error) {
        fail('crash', error instanceof Error ? error.stack ?? error.message : String(error));
      }
      return slowest;
    };
    let slowest = attempt(this.engine);
    if (slowest.ms > BUDGET_MS && failures.length === 0) {
      // One retry on an engine with empty caches, as the first attempt had: a slow input stays slow.
      this.stats.retried++;
      this.engine = this.freshEngine();
      const again = attempt(this.engine);
      if (again.ms > BUDGET_MS) fail('slow', `${slowest.label} took ${slowest.ms.toFixed(0)} ms of CPU time, then ${again.label} ${again.ms.toFixed(0)} ms (budget ${BUDGET_MS} ms)`);
      if (again.ms < slowest.ms) slowest = again;
    }
    if (slowest.ms > this.stats.maxCpuMs) Object.assign(this.stats, { maxCpuMs: slowest.ms, slowestOperation: `${slowest.label} of input ${input.index} (${input.kind})` });
    return failures;
  }

  private exercise(engine: Engine, input: FuzzInput, fail: (category: FuzzFailure['category'], detail: string) => void, timed: Timed): void {
    let text = input.text;
    if (input.bytes) {
      const decoded = decode(input.bytes);
      if (decoded.text !== undefined && decoded.text !== text) fail('crash', 'decode() is not deterministic');
      if (decoded.text === undefined && !decoded.problem) fail('crash', 'decode() gave neither text nor a problem');
      text = decoded.text ?? text;
    }
    const next = random(input.index + 17);
    // What the server does on a change (index, lint) and the CLI per file.
    const result = timed('index + lint', () => {
      this.workspace.setFile(FUZZ_PATH, engine.index(FUZZ_PATH, text));
      return engine.lintFile(FUZZ_PATH, text, this.workspace, undefined, { outcomes: true });
    });
    this.stats.findings += result.findings.length;
    const lines = new LspLines(text);
    const index = new LineIndex(text);
    for (const f of result.findings) {
      const bad = spanProblem(f.span, text.length) ?? lines.problem(f.range);
      if (bad) fail('range', `${f.ruleId} at ${JSON.stringify(f.range)}: ${bad}`);
      else {
        const expected = index.rangeOf(f.span);
        if (JSON.stringify(expected) !== JSON.stringify(f.range)) fail('range', `${f.ruleId}: range ${JSON.stringify(f.range)} is not the span's ${JSON.stringify(expected)}`);
      }
      if (f.suppressed && spanProblem(f.suppressed.span, text.length)) fail('range', `${f.ruleId}: waiver span ${JSON.stringify(f.suppressed.span)}`);
      if (f.ruleId === 'kgov/internal-error') fail('internal-error', f.message);
    }
    for (const workload of timed('checklist', () => fileChecklist(engine, result, (ns) => ns ?? 'default'))) {
      for (const group of workload.groups) for (const item of group.items) if (item.range && lines.problem(item.range)) fail('range', `checklist item ${item.ruleId}: ${lines.problem(item.range)}`);
    }
    for (let i = 0; i < this.options.probes; i++) {
      const offset = Math.floor(next() * (text.length + 1));
      const h = timed('hover', () => hover(engine, FUZZ_PATH, text, offset, this.workspace));
      if (h && spanProblem(h.span, text.length)) fail('range', `hover at ${offset}: ${spanProblem(h.span, text.length)}`);
      timed('completion', () => complete(engine, FUZZ_PATH, text, offset, this.workspace));
    }
    const symbols = timed('document symbols', () => documentSymbols(engine, FUZZ_PATH, text));
    const visit = (s: (typeof symbols)[number]) => {
      const bad = spanProblem(s.span, text.length) ?? spanProblem(s.selection, text.length);
      if (bad) fail('range', `symbol ${s.name}: ${bad}`);
      s.children.forEach(visit);
    };
    symbols.forEach(visit);
    // One fix on its own (a code action), then every fix (--fix / source.fixAll) for a share of the inputs.
    const fixable = result.findings.filter((f) => f.fix);
    const one = fixable[Math.floor(next() * fixable.length)];
    if (one) {
      try {
        for (const e of timed('one fix', () => engine.fixEdits(text, one))) if (spanProblem(e, text.length)) fail('fix', `${one.ruleId}: edit ${JSON.stringify(e)} outside the text`);
      } catch (error) {
        if (!(error instanceof FixError)) throw error;
      }
    }
    if (fixable.length > 0 && next() < this.options.fixShare) {
      this.stats.fixRuns++;
      const { fixed } = timed('fix all', () => engine.fixAll(FUZZ_PATH, text, this.workspace));
      this.stats.fixesApplied += fixed.length;
    }
  }
}
