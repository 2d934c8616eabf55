/** The fix-safety checks themselves: each catches the violation it is about (so a clean run means something). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits } from '../../server/src/engine/fix/diff';
import { createEngine } from '../../server/src/engine/engine';
import { Workspace } from '../../server/src/engine/workspace';
import { schemasDir } from '../../server/src/host/paths';
import { checkFix, summarize } from './check';

const text = `apiVersion: v1
kind: Pod
metadata:
  name: web  # the name
  namespace: shop
spec:
  containers:
    - name: web
      image: nginx:1.27  # pinned
`;

describe('fix-safety checks', () => {
  const engine = createEngine({ schemasDir: schemasDir(), preset: 'all' });
  const path = '/w/pod.yaml';
  const workspaceWith = (t: string) => {
    const ws = new Workspace();
    ws.setFile(path, engine.index(path, t));
    return ws;
  };
  const beforeLint = summarize(engine, path, text, workspaceWith(text));
  const finding = beforeLint.findings.find((f) => f.ruleId === 'run-as-non-root' && f.fix);
  assert.ok(finding, 'run-as-non-root offers a fix on this pod');
  const fixed = applyEdits(text, engine.fixEdits(text, finding));
  const check = (after: string) => checkFix({ engine, path, before: text, after, beforeLint, workspaceAfter: workspaceWith(after), fixed: [finding] });
  const has = (problems: string[], pattern: RegExp) => assert.ok(problems.some((p) => pattern.test(p)), `expected ${pattern} in ${JSON.stringify(problems)}`);

  it('accepts the real fix', () => {
    assert.match(fixed, /runAsNonRoot: true {2}# kgov: the image must run as a non-root user/);
    assert.deepEqual(check(fixed), []);
  });

  it('catches a fix that leaves its finding', () => has(check(text.replace('# pinned', '# still pinned')), /the fixed finding is still there: run-as-non-root/));

  it('catches a lost comment', () => has(check(fixed.replace('  # pinned', '')), /comment lost: # pinned/));

  it('catches a comment no fix declares', () => has(check(fixed.replace('runAsNonRoot: true', 'runAsNonRoot: true # sneaky')), /comment added that no fix declares/));

  it('catches a change outside the fixed object', () => has(check(fixed.replace('name: web  # the name', 'name: web2  # the name')), /line 4 changed outside/));

  it('catches a result that does not parse', () => has(check(`${fixed}      bad: [\n`), /no longer parse/));

  it('catches a new schema finding', () => has(check(fixed.replace('image: nginx:1.27', 'imagePullPolicy: always\n      image: nginx:1.27')), /new finding schema\/enum/));
});
