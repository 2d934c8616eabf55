/**
 * Run by stack.test.ts in a Node started with a small stack: every engine operation on the deepest documents kgov
 * validates. Prints one JSON line per input: { name, ok, error? }.
 */
import { fileChecklist } from '../../server/src/engine/features/checklist';
import { complete, documentSymbols, hover } from '../../server/src/engine';
import { createEngine } from '../../server/src/engine/engine';
import { Workspace } from '../../server/src/engine/workspace';
import { schemasDir } from '../../server/src/host/paths';
import { deepInputs } from './deep-inputs';

const engine = createEngine({ schemasDir: schemasDir(), preset: 'all' });
for (const { name, text } of deepInputs()) {
  const uri = `/deep/${name.replace(/ /g, '-')}.yaml`;
  try {
    const workspace = new Workspace();
    workspace.setFile(uri, engine.index(uri, text));
    const result = engine.lintFile(uri, text, workspace, undefined, { outcomes: true });
    fileChecklist(engine, result, (ns) => ns ?? 'default');
    for (const finding of result.findings) if (finding.fix) engine.fixEdits(text, finding);
    engine.fixAll(uri, text, workspace);
    for (const offset of [text.length - 2, Math.floor(text.length / 2)]) {
      hover(engine, uri, text, offset, workspace);
      complete(engine, uri, text, offset, workspace);
    }
    documentSymbols(engine, uri, text);
    const internal = result.findings.find((f) => f.ruleId === 'kgov/internal-error');
    console.log(JSON.stringify({ name, ok: !internal, ...(internal ? { error: internal.message } : {}) }));
  } catch (error) {
    console.log(JSON.stringify({ name, ok: false, error: error instanceof Error ? error.message : String(error) }));
  }
}
