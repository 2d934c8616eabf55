/** .kgov.yaml, presets, suppression and declarative policies, through the engine as the CLI and editor use it. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfigText } from '../../server/src/engine/config/load';
import { createEngine } from '../../server/src/engine/engine';
import { compileGlobs } from '../../server/src/engine/config/glob';
import { safeRegExp } from '../../server/src/engine/util/regex';
import { SchemaCatalog } from '../../server/src/engine/schema/catalog';
import type { Finding } from '../../server/src/engine/types';
import { schemasDir } from '../../server/src/host/paths';

const catalog = new SchemaCatalog(schemasDir());
const scratch = mkdtempSync(join(tmpdir(), 'kgov-config-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function load(text: string, dir = scratch) {
  return loadConfigText(text, join(dir, '.kgov.yaml'), catalog, schemasDir(), true);
}
const where = (f: Finding) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.messageId}`;

const privileged = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  hostNetwork: true
  containers:
    - name: c
      image: busybox:1.36
      securityContext:
        privileged: true
`;

describe('.kgov.yaml', () => {
  it('reports problems at the offending key or value', () => {
    const { findings } = load(`extends: recomended
kubernetesVersion: "1.20"
rules:
  no-privileged-containr: off
  no-host-network: loud
  run-as-non-root: [warning, {strict: true}]
ignores: []
`);
    assert.deepEqual(findings.map(where).sort(), ['1:10 enum', '2:20 version', '4:3 unknownRule', '5:20 anyOf', '6:31 options', '7:1 unknownFieldSuggest']);
    assert.match(findings.find((f) => f.messageId === 'unknownRule')?.message ?? '', /did you mean "no-privileged-container"\?/);
    assert.equal(findings.find((f) => f.messageId === 'anyOf')?.message, '.kgov.yaml rules.no-host-network must be a severity: off (or false), info, warning or error, or [severity, {options}].');
    assert.ok(findings.every((f) => f.ruleId === 'config/invalid'));
  });

  it('resolves severities: --rule over .kgov.yaml over the preset', () => {
    const { config } = load('extends: pss-baseline\nrules:\n  no-host-network: info\n  run-as-non-root: warning\n  no-privileged-container: off\n');
    const engine = createEngine({ schemasDir: schemasDir(), config, ruleOverrides: [{ id: 'no-host-network', severity: 'error' }] }, catalog);
    const found = engine.lint('/p.yaml', privileged).map((f) => `${f.ruleId}:${f.severity}`).sort();
    assert.deepEqual(found, ['no-host-network:error', 'run-as-non-root:warning']);
  });

  it('turns a whole family off, including through its catalog umbrella id', () => {
    const bad = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: b}]\n  hostNetwrk: true\n';
    const schemaFindings = (config: string) =>
      createEngine({ schemasDir: schemasDir(), config: load(config).config }, catalog).lint('/p.yaml', bad).map((f) => f.ruleId).filter((id) => id.startsWith('schema'));
    assert.deepEqual(schemaFindings('rules:\n  schema-conformance: off\n'), []);
    assert.deepEqual(schemaFindings('rules:\n  schema/unknown-field: off\n'), []);
    assert.deepEqual(schemaFindings('{}\n'), ['schema/unknown-field']);
  });

  it('matches ignore globs without regular expressions', () => {
    const ignored = compileGlobs(['charts/**/templates/**', '*.generated.yaml', 'vendor/']);
    assert.ok(ignored('charts/web/templates/deploy.yaml'));
    assert.ok(ignored('deploy/app.generated.yaml'));
    assert.ok(ignored('vendor/x/y.yaml'));
    assert.ok(!ignored('charts/web/values.yaml'));
    const started = performance.now();
    assert.ok(!compileGlobs(['**/'.repeat(40) + 'a*a*a*a*a*a*a*a*b'])(`${'x/'.repeat(40)}${'a'.repeat(5000)}`));
    assert.ok(performance.now() - started < 1000, 'a hostile pattern still matches quickly');
  });

  it('runs patterns from configuration on RE2 (no catastrophic backtracking) and limits their length', () => {
    const started = performance.now();
    assert.equal(safeRegExp('^(a+)+$').test(`${'a'.repeat(30_000)}b`), false);
    assert.ok(performance.now() - started < 1000);
    assert.throws(() => safeRegExp('a'.repeat(2000)));
  });

  it('tests each policy pattern as written, in one policy and across policies', () => {
    const dir = mkdtempSync(join(scratch, 'patterns-'));
    const policy = (id: string, properties: object) => `id: ${id}\ntarget: {kinds: [ConfigMap], scope: object}\nseverity: warning\n`
      + `messages: {pass: ok, fail: "${id} fails"}\nschema: {type: object, properties: {data: {type: object, properties: ${JSON.stringify(properties)}}}}\n`;
    mkdirSync(join(dir, 'policies'));
    writeFileSync(join(dir, 'policies/a.yaml'), policy('team-and-tier', { team: { pattern: '^[a-z]+$' }, tier: { pattern: '^(gold|silver)$' } }));
    writeFileSync(join(dir, 'policies/b.yaml'), policy('ticket', { ticket: { pattern: '^OPS-[0-9]+$' } }));
    const { config, policyFiles, findings } = load('policies: ["policies/*.yaml"]\n', dir);
    assert.deepEqual(findings, []);
    const engine = createEngine({ schemasDir: schemasDir(), config, policyFiles }, catalog);
    const configMap = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n${data}`;
    const failing = (data: string) => engine.lint(join(dir, 'c.yaml'), configMap(data)).map((f) => f.ruleId).filter((id) => id === 'team-and-tier' || id === 'ticket');
    assert.deepEqual(failing('  team: web\n  tier: gold\n  ticket: OPS-12\n'), []);
    assert.deepEqual(failing('  team: web\n  tier: bronze\n  ticket: OPS-12\n'), ['team-and-tier']);
    assert.deepEqual(failing('  team: web\n  tier: gold\n  ticket: web\n'), ['ticket']);
  });
});

describe('suppression', () => {
  const THREE_RULES = 'extends: pss-baseline\nrules:\n  run-as-non-root: warning\n';
  const engine = createEngine({ schemasDir: schemasDir(), config: load(THREE_RULES).config }, catalog);
  const waived = (text: string) => engine.lint('/p.yaml', text).map((f) => `${f.ruleId}:${f.suppressed ? `${f.suppressed.kind}${f.suppressed.reason ? `(${f.suppressed.reason})` : ''}` : 'open'}`).sort();

  it('honours kgov.io/ignore with a reason, and keeps the finding marked', () => {
    const text = privileged.replace('  name: p\n', '  name: p\n  annotations:\n    kgov.io/ignore: no-host-network, run-as-non-root\n    kgov.io/ignore-reason: node agent\n');
    assert.deepEqual(waived(text), ['no-host-network:annotation(node agent)', 'no-privileged-container:open', 'run-as-non-root:annotation(node agent)']);
    assert.deepEqual(waived(privileged.replace('  name: p\n', '  name: p\n  annotations: {kgov.io/ignore: "*"}\n')), [
      'no-host-network:annotation', 'no-privileged-container:annotation', 'run-as-non-root:annotation']);
  });

  it('honours # kgov-disable-next-line for the next line only', () => {
    const text = privileged.replace('  hostNetwork: true\n', '  # kgov-disable-next-line no-host-network -- measured on the node\n  hostNetwork: true\n');
    assert.deepEqual(waived(text), ['no-host-network:comment(measured on the node)', 'no-privileged-container:open', 'run-as-non-root:open']);
  });

  it("honours the peers' annotations through each rule's aliases", () => {
    const text = privileged.replace('  name: p\n', `  name: p
  annotations:
    ignore-check.kube-linter.io/privileged-container: "debug pod"
    polaris.fairwinds.com/hostNetworkSet-exempt: "true"
    kube-score/ignore: container-security-context-user-group-id
`);
    // kube-score's user/group id check is high-uid-gid's, not run-as-non-root's (which kube-score does not check).
    assert.deepEqual(waived(text), ['no-host-network:annotation', 'no-privileged-container:annotation(debug pod)', 'run-as-non-root:open']);
  });

  it("reads kube-score/ignore on a workload's pod template too, as kube-score does, and the others' on the object only", () => {
    const deployment = (templateAnnotations: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  selector: {matchLabels: {app: d}}
  template:
    metadata:
      labels: {app: d}
      annotations:
${templateAnnotations}
    spec:
      containers:
        - name: c
          image: busybox:1.36
          securityContext:
            privileged: true
`;
    assert.deepEqual(waived(deployment('        kube-score/ignore: container-security-context-privileged\n')), ['no-privileged-container:annotation', 'run-as-non-root:open']);
    assert.deepEqual(waived(deployment('        ignore-check.kube-linter.io/privileged-container: "debug"\n')), ['no-privileged-container:open', 'run-as-non-root:open']);
  });

  it('kube-score/ignore: stable-version waives the api/removed and api/deprecated findings it stands for', () => {
    const hpa = (annotation: string) => `apiVersion: autoscaling/v2beta2
kind: HorizontalPodAutoscaler
metadata:
  name: h
  annotations: {${annotation}}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 4
`;
    assert.deepEqual(waived(hpa('kube-score/ignore: stable-version')), ['api/removed:annotation']);
    assert.deepEqual(waived(hpa('kube-score/ignore: pod-probes')), ['api/removed:open']);
  });

  it('cannot waive nonBypassable rules', () => {
    const strict = createEngine({ schemasDir: schemasDir(), config: load(`${THREE_RULES}nonBypassable: [no-privileged-container]\n`).config }, catalog);
    const text = privileged.replace('  name: p\n', '  name: p\n  annotations: {kgov.io/ignore: "*"}\n');
    assert.deepEqual(strict.lint('/p.yaml', text).filter((f) => !f.suppressed).map((f) => f.ruleId), ['no-privileged-container']);
  });
});

describe('declarative policies', () => {
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: docker.io/library/nginx:1.27
          resources:
            requests: {cpu: 20, memory: 4Mi}
`;

  it('loads the shipped readiness policies and reports with ranges', () => {
    const { config, policyFiles, findings } = load('policies: [builtin:registry-allowlist, builtin:required-labels, builtin:resource-bounds]\n');
    assert.deepEqual(findings, []);
    const engine = createEngine({ schemasDir: schemasDir(), config, policyFiles, preset: 'recommended' }, catalog);
    const policyIds = new Set(['registry-allowlist', 'required-labels', 'resource-bounds']);
    const found = engine.lint('/d.yaml', deployment).filter((f) => policyIds.has(f.ruleId));
    assert.deepEqual(found.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.ruleId}`).sort(), [
      '14:18 registry-allowlist', '16:29 resource-bounds', '16:41 resource-bounds', '5:3 required-labels']);
    assert.match(found.find((f) => f.ruleId === 'resource-bounds')?.message ?? '', /Container "web" is outside the resource bounds \(Container resources\.requests\.cpu must be at most 8\)/);
  });

  it('loads policy files next to the config, and refuses to leave its folder', () => {
    const dir = join(scratch, 'repo');
    mkdirSync(join(dir, 'policies'), { recursive: true });
    writeFileSync(join(dir, 'policies/team.yaml'), readFileSync(join(schemasDir(), 'readiness/required-labels.yaml'), 'utf8').replace('id: required-labels', 'id: team-labels'));
    writeFileSync(join(scratch, 'outside.yaml'), 'id: outside\n');
    symlinkSync(join(scratch, 'outside.yaml'), join(dir, 'policies/link.yaml'));
    const ok = load('policies: ["policies/*.yaml"]\n', dir);
    assert.deepEqual(ok.policyFiles.map((f) => f.slice(dir.length)), ['/policies/team.yaml']);
    const escape = load('policies: ["../outside.yaml", "/etc/passwd"]\n', dir);
    assert.deepEqual(escape.findings.map((f) => f.messageId), ['policy', 'policy']);
    assert.deepEqual(escape.policyFiles, []);
  });

  it('loads no policies in an untrusted workspace', () => {
    assert.deepEqual(loadConfigText('policies: [builtin:required-labels]\n', join(scratch, '.kgov.yaml'), catalog, schemasDir(), false).policyFiles, []);
  });

  it('reports a broken policy at its entry in the config', () => {
    writeFileSync(join(scratch, 'bad-policy.yaml'), 'id: Bad Id\ntarget: {kinds: workloads, scope: pod}\n');
    const { findings } = load('policies:\n  - bad-policy.yaml\n');
    assert.equal(findings.length, 1);
    assert.equal(where(findings[0] as Finding), '2:5 policy');
    assert.match(findings[0]?.message ?? '', /bad-policy\.yaml: /);
  });
});
