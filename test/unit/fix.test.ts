/** Fix ops become minimal, comment-preserving text edits; the line diff behind them is exact. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEngine } from '../../server/src/engine/engine';
import { applyEdits, textEdits, unifiedDiff } from '../../server/src/engine/fix/diff';
import { applyOps, comments, FixError } from '../../server/src/engine/fix/edits';
import type { Finding, PatchOp } from '../../server/src/engine/types';
import { schemasDir } from '../../server/src/host/paths';
import { random } from './helpers/corpus';

const pod = `apiVersion: v1
kind: Pod
metadata:
  name: web # the name
spec:
  hostNetwork: true   # why?
  containers:
    - name: web
      image: "nginx"
      securityContext: {}
      ports:
      - containerPort: 80
    - image: b
      name: second
      resources:
`;

const apply = (ops: PatchOp[], text = pod) => applyOps(text, 0, ops);
const changedLines = (before: string, after: string) => {
  const a = before.split('\n');
  const b = after.split('\n');
  return { removed: a.filter((l) => !b.includes(l)), added: b.filter((l) => !a.includes(l)) };
};

describe('fix ops', () => {
  it('removes an entry and keeps its comment on its own line', () => {
    assert.deepEqual(changedLines(pod, apply([{ op: 'remove', path: '/spec/hostNetwork' }])), {
      removed: ['  hostNetwork: true   # why?'], added: ['  # why?'],
    });
  });

  it('adds into a flow mapping, keeping it flow', () => {
    assert.match(apply([{ op: 'add', path: '/spec/containers/0/securityContext/runAsNonRoot', value: true }]), /securityContext: \{runAsNonRoot: true\}/);
  });

  it('creates missing parents at the indentation of their siblings, with the comment on the leaf', () => {
    const out = apply([{ op: 'add', path: '/spec/containers/1/securityContext/readOnlyRootFilesystem', value: true, comment: 'TODO check' }]);
    assert.ok(out.includes('      resources:\n      securityContext:\n        readOnlyRootFilesystem: true  # TODO check\n'), out);
  });

  it('fills a key that has no value', () => {
    const out = apply([{ op: 'add', path: '/spec/containers/1/resources/requests/cpu', value: '100m' }]);
    assert.ok(out.endsWith('      resources:\n        requests:\n          cpu: 100m\n'), out);
  });

  it('appends to a block sequence in its dash style, and to a flow sequence in flow style', () => {
    const out = apply([{ op: 'add', path: '/spec/containers/0/ports/-', value: { containerPort: 443, name: 'https' } }]);
    assert.ok(out.includes('      - containerPort: 80\n      - containerPort: 443\n        name: https\n'), out);
    assert.equal(applyOps('a:\n  drop: [NET_RAW]\n', 0, [{ op: 'add', path: '/a/drop/-', value: 'ALL' }]), 'a:\n  drop: [NET_RAW, ALL]\n');
    assert.equal(applyOps('a:\n  drop: []\n', 0, [{ op: 'add', path: '/a/drop/-', value: 'ALL' }]), 'a:\n  drop: [ALL]\n');
  });

  it('replaces a scalar keeping its quotes, and quotes what YAML would misread', () => {
    assert.match(apply([{ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.27' }]), /image: "nginx:1\.27"/);
    assert.equal(applyOps('v: x\n', 0, [{ op: 'replace', path: '/v', value: 'yes' }]), 'v: "yes"\n');
    assert.equal(applyOps('v: x\n', 0, [{ op: 'replace', path: '/v', value: '0755' }]), 'v: "0755"\n');
  });

  it('removes the first key of a sequence item and the only item of a list', () => {
    assert.match(apply([{ op: 'remove', path: '/spec/containers/0/name' }]), /containers:\n {4}- image: "nginx"\n/);
    assert.match(apply([{ op: 'remove', path: '/spec/containers/0/ports/0' }]), /ports: \[\]\n/);
    assert.equal(applyOps('m:\n  only: 1 # c\nn: 2\n', 0, [{ op: 'remove', path: '/m/only' }]), 'm: {}\n  # c\nn: 2\n');
  });

  it('renames a key in place', () => {
    assert.match(apply([{ op: 'move', from: '/spec/hostNetwork', path: '/spec/hostNetworking' }]), / {2}hostNetworking: true {3}# why\?/);
  });

  it('adds an annotation, creating annotations under metadata', () => {
    assert.match(apply([{ op: 'add', path: '/metadata/annotations/kgov.io~1ignore', value: 'no-host-network' }]), /name: web # the name\n {2}annotations:\n {4}kgov\.io\/ignore: no-host-network\n/);
  });

  it('appends a document at the end of the file', () => {
    const out = applyOps('a: 1', 0, [{ op: 'append-document', value: { kind: 'X', spec: { list: ['a'] } }, comment: 'generated' }]);
    assert.equal(out, 'a: 1\n---\n# generated\nkind: X\nspec:\n  list:\n    - a\n');
  });

  it('keeps CRLF line ends and the indentation step of the file', () => {
    const text = 'spec:\r\n    containers:\r\n        - name: a\r\n';
    assert.equal(applyOps(text, 0, [{ op: 'add', path: '/spec/containers/0/securityContext/privileged', value: false }]),
      'spec:\r\n    containers:\r\n        - name: a\r\n          securityContext:\r\n              privileged: false\r\n');
  });

  it('works on the right document of a multi-document file', () => {
    const text = 'a: 1\n---\nb: 2\n---\nc: 3\n';
    assert.equal(applyOps(text, 1, [{ op: 'add', path: '/x', value: 1 }]), 'a: 1\n---\nb: 2\nx: 1\n---\nc: 3\n');
  });

  it('refuses what it cannot do cleanly', () => {
    assert.throws(() => apply([{ op: 'add', path: '/spec/hostNetwork/x', value: 1 }]), FixError);
    assert.throws(() => apply([{ op: 'remove', path: '/spec/nothing' }]), FixError);
  });

  it('refuses to add into a block mapping whose keys were all dropped (a TypeError before; found by the fuzzer)', () => {
    for (const text of ['spec:\n  ? [a]: 1\n', 'spec:\n ?  schedule: "x"\n  jobTemplate: 1\n', 'spec:\n  ? {a: 1}\n  : 2\n']) {
      assert.throws(() => applyOps(text, 0, [{ op: 'add', path: '/spec/x', value: 1 }]), FixError, text);
    }
  });

  it('never loses a comment', () => {
    const before = comments(pod).length;
    for (const ops of [[{ op: 'remove', path: '/spec/hostNetwork' }], [{ op: 'remove', path: '/spec/containers/1' }], [{ op: 'remove', path: '/metadata/name' }]] as PatchOp[][]) {
      const out = apply(ops);
      assert.ok(comments(out).length >= before, JSON.stringify(ops));
    }
  });
});

describe('line diff', () => {
  it('turns one text into another with edits, for random edits of random texts', () => {
    const next = random(7);
    for (let i = 0; i < 300; i++) {
      const lines = Array.from({ length: Math.floor(next() * 20) }, () => `l${Math.floor(next() * 6)}`);
      const a = lines.join('\n') + (next() < 0.5 ? '\n' : '');
      const changed = [...lines];
      for (let k = 0; k < 3; k++) {
        const at = Math.floor(next() * (changed.length + 1));
        if (next() < 0.5) changed.splice(at, 1);
        else changed.splice(at, 0, `n${Math.floor(next() * 6)}`);
      }
      const b = changed.join('\n') + (next() < 0.5 ? '\n' : '');
      assert.equal(applyEdits(a, textEdits(a, b)), b);
    }
  });

  it('prints a unified diff', () => {
    assert.equal(unifiedDiff('x.yaml', 'a\nb\nc\n', 'a\nB\nc\n'), '--- a/x.yaml\n+++ b/x.yaml\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n');
  });
});

describe('fix comments', () => {
  it('leaves the comment out where it would break a flow mapping', () => {
    assert.equal(applyOps('s: {a: false}\n', 0, [{ op: 'replace', path: '/s/a', value: true, comment: 'note' }]), 's: {a: true}\n');
    assert.equal(applyOps('s:\n  a: false\n', 0, [{ op: 'replace', path: '/s/a', value: true, comment: 'note' }]), 's:\n  a: true  # note\n');
  });
});

describe('fixAll', () => {
  const fixable = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  lables:\n    app: a\n';
  const broken = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [b\n';

  it('fixes the other documents of a file that has a broken one (fuzz input 70067: none was fixed)', () => {
    const engine = createEngine({ schemasDir: schemasDir() });
    const { text, fixed } = engine.fixAll('/f.yaml', `${broken}---\n${fixable}`);
    assert.deepEqual(fixed.map((f) => f.ruleId), ['schema/unknown-field']);
    assert.equal(text, `${broken}---\n${fixable.replace('lables', 'labels')}`);
  });

  it('lints again only after a fix changed the text: fixes that fail cost no lint', () => {
    const engine = createEngine({ schemasDir: schemasDir() });
    // The init containers are an alias of the containers: their fixes cannot be applied (FixError).
    const pod = (i: number) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers: &c\n    - name: a\n      image: nginx\n      imagePullPolicy: always\n  initContainers: *c\n`;
    const text = Array.from({ length: 10 }, (_, i) => pod(i)).join('---\n');
    const aliased = (f: Finding) => f.pointer.includes('/initContainers/');
    assert.ok(engine.lint('/f.yaml', text).filter((f) => f.fix && aliased(f)).length >= 20);
    let lints = 0;
    const lint = engine.lint.bind(engine);
    engine.lint = (...args: Parameters<typeof engine.lint>) => {
      lints++;
      return lint(...args);
    };
    const { fixed } = engine.fixAll('/f.yaml', text, undefined, aliased);
    assert.deepEqual(fixed, []);
    assert.equal(lints, 1);
  });
});
