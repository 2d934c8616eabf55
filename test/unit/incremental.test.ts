/**
 * The work an edit costs, counted (not timed): the editor re-lints a file on every keystroke, so an edit must
 * re-parse and re-check only what it changed, and keep the validators of CRDs it did not change. Each step also
 * checks that the cached result is exactly what a fresh engine finds.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEngine, type Engine } from '../../server/src/engine/engine';
import { crdValidatorsMade } from '../../server/src/engine/schema/crd';
import { LineIndex } from '../../server/src/engine/util/line-index';
import { Workspace } from '../../server/src/engine/workspace';
import { schemasDir } from '../../server/src/host/paths';

const crd = (plural: string, kind: string, field: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.example.com
spec:
  group: example.com
  scope: Namespaced
  names: { plural: ${plural}, singular: ${plural.slice(0, -1)}, kind: ${kind} }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                ${field}: { type: integer, minimum: 1 }
`;

const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: ${image}
`;

const FILE = '/ws/app.yaml';
const text = (parts: { widgetField?: string; image?: string; widgetSize?: string }) => [
  crd('widgets', 'Widget', parts.widgetField ?? 'size'),
  crd('gadgets', 'Gadget', 'count'),
  `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: ${parts.widgetSize ?? '0'}\n  colour: red\n`,
  'apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\nspec:\n  count: 0\n',
  deployment(parts.image ?? 'nginx:1.27'),
].join('---\n');

/** Lints as the editor does: the file's resources go into the index, then the file is linted. */
function lint(engine: Engine, workspace: Workspace, source: string) {
  workspace.setFile(FILE, engine.index(FILE, source));
  return engine.lintFile(FILE, source, workspace, undefined, { reuseCrossResults: true }).findings;
}

function fresh(source: string) {
  return lint(createEngine({ schemasDir: schemasDir() }), new Workspace(), source);
}

/** The work counters' change while `step` runs. */
function counted(engine: Engine, step: () => void) {
  const before = { ...engine.work, validators: crdValidatorsMade() };
  step();
  return {
    parsedChunks: engine.work.parsedChunks - before.parsedChunks,
    checkedChunks: engine.work.checkedChunks - before.checkedChunks,
    crossCheckedChunks: engine.work.crossCheckedChunks - before.crossCheckedChunks,
    validators: crdValidatorsMade() - before.validators,
  };
}

describe('the work an edit costs', () => {
  const engine = createEngine({ schemasDir: schemasDir() });
  const workspace = new Workspace();
  const first = text({});

  it('the first lint parses and checks every chunk and makes a validator per CRD kind used', () => {
    const work = counted(engine, () => lint(engine, workspace, first));
    assert.deepEqual(work, { parsedChunks: 5, checkedChunks: 5, crossCheckedChunks: 5, validators: 2 });
    const rules = lint(engine, workspace, first).map((f) => f.ruleId);
    assert.ok(rules.includes('schema/minimum') && rules.includes('schema/unknown-field'), rules.join(', '));
  });

  it('an edit outside the CRDs re-parses and re-checks that document alone and remakes no validator', () => {
    const edited = text({ image: 'nginx:1.28' });
    let findings = [] as ReturnType<typeof lint>;
    const work = counted(engine, () => (findings = lint(engine, workspace, edited)));
    assert.deepEqual(work, { parsedChunks: 1, checkedChunks: 1, crossCheckedChunks: 1, validators: 0 });
    assert.deepEqual(findings, fresh(edited));
  });

  it('an edit of a custom resource re-checks it alone', () => {
    const edited = text({ image: 'nginx:1.28', widgetSize: '3' });
    let findings = [] as ReturnType<typeof lint>;
    const work = counted(engine, () => (findings = lint(engine, workspace, edited)));
    assert.deepEqual(work, { parsedChunks: 1, checkedChunks: 1, crossCheckedChunks: 1, validators: 0 });
    assert.deepEqual(findings, fresh(edited));
    assert.ok(!findings.some((f) => f.ruleId === 'schema/minimum' && f.resource?.kind === 'Widget'));
  });

  it('an edit of one CRD re-checks that CRD and the resources of its kind, and remakes its validator alone', () => {
    // `size` is no longer a field of Widget: its resource gets schema/unknown-field there, the Gadget is untouched.
    const edited = text({ image: 'nginx:1.28', widgetSize: '3', widgetField: 'length' });
    let findings = [] as ReturnType<typeof lint>;
    const work = counted(engine, () => (findings = lint(engine, workspace, edited)));
    assert.deepEqual(work, { parsedChunks: 1, checkedChunks: 2, crossCheckedChunks: 1, validators: 1 });
    assert.deepEqual(findings, fresh(edited));
    assert.ok(findings.some((f) => f.ruleId === 'schema/unknown-field' && f.pointer === '/spec/size'));
  });

  it('re-linting unchanged text costs nothing', () => {
    const same = text({ image: 'nginx:1.28', widgetSize: '3', widgetField: 'length' });
    const work = counted(engine, () => lint(engine, workspace, same));
    assert.deepEqual(work, { parsedChunks: 0, checkedChunks: 0, crossCheckedChunks: 0, validators: 0 });
  });
});

describe('the work a change of another file costs', () => {
  const engine = createEngine({ schemasDir: schemasDir() });
  const workspace = new Workspace();
  const SERVICE = '/ws/service.yaml';
  const serviceText = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: 8080\n';
  const config = (value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: "${value}"\n`;
  const setFile = (path: string, source: string) => workspace.setFile(path, engine.index(path, source));
  const lintService = () => engine.lintFile(SERVICE, serviceText, workspace).findings;
  const selectsNoPods = () => lintService().some((f) => f.ruleId === 'service-selects-pods');

  it('a Service is checked against the workspace once, and again only when a kind it reads changes', () => {
    setFile('/ws/deployment.yaml', deployment('nginx:1.27'));
    setFile('/ws/config.yaml', config('a'));
    setFile(SERVICE, serviceText);
    assert.equal(selectsNoPods(), false);

    // A ConfigMap changes: the Service's rules do not read ConfigMaps.
    const configChanged = setFile('/ws/config.yaml', config('b'));
    assert.deepEqual([...configChanged], ['ConfigMap']);
    assert.equal(engine.readsAnyOf(SERVICE, configChanged), false);
    assert.deepEqual(counted(engine, lintService), { parsedChunks: 0, checkedChunks: 0, crossCheckedChunks: 0, validators: 0 });

    // The Deployment's pods lose the label the Service selects: it reads Deployments, so it is checked again.
    const deploymentChanged = setFile('/ws/deployment.yaml', deployment('nginx:1.27').replace(/app: web/g, 'app: api'));
    assert.deepEqual([...deploymentChanged], ['Deployment']);
    assert.equal(engine.readsAnyOf(SERVICE, deploymentChanged), true);
    assert.deepEqual(counted(engine, lintService), { parsedChunks: 0, checkedChunks: 0, crossCheckedChunks: 1, validators: 0 });
    assert.equal(selectsNoPods(), true);
  });

  it('the kinds that changed: resources whose value changed, or whose line did (messages name it)', () => {
    const secret = (extra: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: token${extra}\n`;
    setFile('/ws/config.yaml', `${secret('')}---\n${config('b')}`);
    assert.deepEqual([...setFile('/ws/config.yaml', `${secret('')}---\n${config('b')}`)], []);
    // The ConfigMap's document is as it was (the same parsed value) but one line lower.
    assert.deepEqual([...setFile('/ws/config.yaml', `${secret('\n  namespace: ops')}---\n${config('b')}`)].sort(), ['ConfigMap', 'Secret']);
    assert.deepEqual([...setFile('/ws/config.yaml', `${secret('\n  namespace: ops')}---\n${config('c')}`)], ['ConfigMap']);
  });
});

describe('positions found within chunks', () => {
  const engine = createEngine({ schemasDir: schemasDir() });
  const manifest = [
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: { bad: "-x-" }\ndata: 5\n',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: b\nspec:\n  replicas: "2"\n  selector: { matchLabels: { app: b } }\n  template:\n    metadata: { labels: { app: b } }\n    spec:\n      containers:\n        - { name: b, image: "b", livenessprobe: {} }\n',
    '# a comment only\n',
    'apiVersion: v1\nkind: Service\nmetadata: { name: c }\nspec: { selector: { app: b }, ports: [{ port: x }] }\n',
  ].join('---\n');
  const variants: Record<string, string> = {
    '\\n': manifest,
    '\\r\\n': manifest.replace(/\n/g, '\r\n'),
    'lone \\r': manifest.replace(/\n/g, '\r'),
    'mixed': manifest.split('\n').map((l, i) => l + (i % 3 === 0 ? '\r\n' : i % 3 === 1 ? '\n' : '\r')).join(''),
    'U+2028 before ---': manifest.replace(/\n---\n/g, '\u2028---\n'),
  };
  for (const [name, text] of Object.entries(variants)) {
    it(`are the file's positions (${name} line ends)`, () => {
      const lines = new LineIndex(text);
      const findings = engine.lintFile(`/ws/${name}.yaml`, text).findings;
      assert.ok(findings.length >= 3, findings.map((f) => f.ruleId).join(', '));
      for (const f of findings) assert.deepEqual(f.range, lines.rangeOf(f.span), `${f.ruleId} at ${JSON.stringify(f.span)}`);
      const indexed = engine.index(`/ws/${name}.yaml`, text);
      for (const r of indexed) assert.equal(r.line, lines.positionAt(text.indexOf(`name: ${r.name}`)).line, r.name);
    });
  }
});
