/** Baselines (features/baseline.ts): fingerprints that survive line moves, matching with counts, fixed findings, the file format. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEngine } from '../../server/src/engine/engine';
import {
  BaselineError, createBaseline, fingerprintsOf, matchBaseline, parseBaseline, type BaselineFile,
} from '../../server/src/engine/features/baseline';
import { Workspace } from '../../server/src/engine/workspace';
import { schemasDir } from '../../server/src/host/paths';
import { privilegedDeployment } from '../helpers/manifests';

const engine = createEngine({ schemasDir: schemasDir() });

const DEPLOYMENT = privilegedDeployment('nginx:latest');

function linted(path: string, text: string): BaselineFile {
  const result = engine.lintFile(path, text, new Workspace());
  return { path, findings: result.findings, fingerprints: fingerprintsOf(result.file, result.findings) };
}

const ids = (file: BaselineFile, states: ReadonlyArray<string | undefined>, state: string) =>
  file.findings.filter((_, i) => states[i] === state).map((f) => f.ruleId).sort();

describe('baselines', () => {
  it('records every unwaived finding once, sorted, with line-free pointers that name list items', () => {
    const file = linted('app.yaml', DEPLOYMENT);
    const baseline = createBaseline([file], 'kgov test');
    assert.ok(file.findings.length >= 3);
    assert.equal(baseline.findings.reduce((n, e) => n + (e.count ?? 1), 0), file.findings.length);
    const privileged = baseline.findings.find((e) => e.ruleId === 'no-privileged-container');
    assert.deepEqual(privileged?.resource, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' });
    assert.equal(privileged?.pointer, '/spec/template/spec/containers/name=web/securityContext/privileged');
    assert.equal(JSON.stringify(baseline.findings.map((e) => e.path + e.ruleId)), JSON.stringify(baseline.findings.map((e) => e.path + e.ruleId).sort()));
    assert.doesNotMatch(JSON.stringify(baseline), /"line"|"range"/);
  });

  it('keeps findings baselined when the resource moves down, to another file, or another container is inserted above', () => {
    const baseline = createBaseline([linted('app.yaml', DEPLOYMENT)]);
    const otherDocument = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  a: "1"\n';
    const moved = linted('app.yaml', `# moved down by a comment\n# and another line\n${otherDocument}---\n${DEPLOYMENT}`);
    const match = matchBaseline(baseline, [moved]);
    assert.equal(match.new, 0, `new: ${ids(moved, match.states[0] as string[], 'new').join(', ')}`);
    assert.equal(match.fixed, 0);
    assert.equal(match.unchanged, moved.findings.length);

    const renamedFile = linted('deploy/web.yaml', DEPLOYMENT);
    assert.equal(matchBaseline(baseline, [renamedFile]).new, 0);

    // A sidecar inserted before "web": web's findings keep their identity (list items by name, not index).
    const sidecar = DEPLOYMENT.replace('      containers:\n', '      containers:\n        - name: proxy\n          image: envoyproxy/envoy:v1.31.0\n');
    const withSidecar = linted('app.yaml', sidecar);
    const sidecarMatch = matchBaseline(baseline, [withSidecar]);
    const fresh = withSidecar.findings.filter((_, i) => sidecarMatch.states[0]?.[i] === 'new');
    assert.ok(fresh.length > 0, 'the sidecar has findings of its own');
    assert.ok(fresh.some((f) => f.message.includes('"proxy"')), fresh.map((f) => f.message).join('\n'));
    assert.ok(!fresh.some((f) => f.message.includes('"web"')), fresh.map((f) => f.message).join('\n'));
    assert.equal(sidecarMatch.fixed, 0);
  });

  it('reports a changed offending value as new and counts what was fixed', () => {
    const baseline = createBaseline([linted('app.yaml', DEPLOYMENT)]);
    // The image loses its tag: the same rule on the same key, a different value -> new.
    const retagged = linted('app.yaml', DEPLOYMENT.replace('nginx:latest', 'nginx'));
    const retaggedMatch = matchBaseline(baseline, [retagged]);
    assert.deepEqual(ids(retagged, retaggedMatch.states[0] as string[], 'new'), ['image-tag-pinned']);
    assert.equal(retaggedMatch.fixed, 1);

    // Not privileged, no escalation: the two findings on privileged are fixed, nothing is new.
    const fixedText = DEPLOYMENT.replace('privileged: true', 'allowPrivilegeEscalation: false');
    const fixedMatch = matchBaseline(baseline, [linted('app.yaml', fixedText)]);
    assert.equal(fixedMatch.new, 0);
    assert.equal(fixedMatch.fixed, 2);
  });

  it('counts identical findings: two where the baseline recorded one leave one new', () => {
    const file = linted('app.yaml', DEPLOYMENT);
    const baseline = createBaseline([file]);
    const twice = { ...file, findings: [...file.findings, file.findings[0]!], fingerprints: [...file.fingerprints, file.fingerprints[0]!] };
    const match = matchBaseline(baseline, [twice]);
    assert.equal(match.new, 1);
    assert.equal(match.unchanged, file.findings.length);
    // And a baseline written from both records the duplicate as a count.
    const counted = createBaseline([twice]);
    assert.equal(counted.findings.find((e) => e.ruleId === file.findings[0]!.ruleId && e.fingerprint === file.fingerprints[0]!.fingerprint)?.count, 2);
  });

  it('leaves waived findings alone: not recorded, not matched', () => {
    const waived = DEPLOYMENT.replace('  namespace: shop\n', '  namespace: shop\n  annotations:\n    kgov.io/ignore: no-privileged-container\n');
    const file = linted('app.yaml', waived);
    const index = file.findings.findIndex((f) => f.ruleId === 'no-privileged-container');
    assert.ok(index >= 0 && file.findings[index]?.suppressed);
    const baseline = createBaseline([file]);
    assert.ok(!baseline.findings.some((e) => e.ruleId === 'no-privileged-container'));
    assert.equal(matchBaseline(baseline, [file]).states[0]?.[index], undefined);
  });

  it('round-trips through JSON and rejects files that are not baselines, saying why', () => {
    const baseline = createBaseline([linted('app.yaml', DEPLOYMENT)], 'kgov test');
    assert.deepEqual(parseBaseline(JSON.stringify(baseline)), baseline);
    const bad: Array<[string, RegExp]> = [
      ['{', /not JSON/],
      ['[]', /not a JSON object/],
      ['{"version":2,"findings":[]}', /version 2/],
      ['{"version":1}', /"findings" is not a list/],
      ['{"version":1,"findings":[{"ruleId":"x","path":"a","fingerprint":"zz"}]}', /findings\[0\]\.fingerprint/],
      ['{"version":1,"findings":[{"ruleId":"x","path":"a","fingerprint":"0123456789abcdef","count":0}]}', /findings\[0\]\.count/],
    ];
    for (const [text, message] of bad) assert.throws(() => parseBaseline(text), (e: unknown) => e instanceof BaselineError && message.test(e.message), text);
  });
});
