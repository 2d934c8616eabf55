/**
 * `kgov audit --kubectl PATH` of kustomize trees with the real kubectl 1.34 (kustomize 5.7): two public example
 * trees (fixtures/kustomize/, provenance beside each), podinfo's kustomize folder, and an overlay of our own whose
 * patch writes an invalid value and whose `labels` transformer adds the selector its base lacks.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import { parseArgs, type AuditArgs } from '../../server/src/cli/args';
import { audit } from '../../server/src/cli/audit';
import type { FileReport } from '../../server/src/cli/report';
import { realTools, realToolsUnavailable } from '../helpers/real-tools';
import { skipWithout } from '../helpers/required';

const skip = skipWithout(realToolsUnavailable());
const fixtures = resolve(__dirname, 'fixtures');

async function run(argv: string[]): Promise<{ files: FileReport[]; stderr: string }> {
  let stderr = '';
  const report = await audit(parseArgs(['audit', ...argv]) as AuditArgs, {
    cwd: fixtures, readStdin: () => '', entry: '', stderr: (text) => { stderr += text; },
  });
  return { files: report.files, stderr };
}

function lineOf(file: string, needle: string): number {
  const at = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle));
  assert.ok(at >= 0, `${needle} not in ${file}`);
  return at;
}

function report(files: FileReport[], path: string): FileReport {
  const found = files.find((f) => f.path === path);
  assert.ok(found, `no report for ${path}`);
  return found;
}

describe('kustomize overlays rendered with the real kubectl', { skip }, () => {
  let kubectl = '';
  before(() => {
    kubectl = realTools().kubectl;
  });

  it('shows a value a patch writes on the patch, and a selector the overlay adds is not missing on the base', async () => {
    const tree = join(fixtures, 'overlay-patch');
    const kustomization = readFileSync(join(tree, 'prod/kustomization.yaml'), 'utf8');
    const { files } = await run([tree, '--kubectl', kubectl]);
    const patch = report(files, join(tree, 'prod/pull-policy.yaml'));
    const pullPolicy = patch.findings.find((f) => f.ruleId === 'schema/enum');
    assert.ok(pullPolicy, 'the patch writes imagePullPolicy: always');
    assert.equal(pullPolicy.range.start.line, lineOf(join(tree, 'prod/pull-policy.yaml'), 'imagePullPolicy'));
    const base = report(files, join(tree, 'base/deployment.yaml'));
    assert.ok(!base.findings.some((f) => f.ruleId === 'schema/required'), base.findings.map((f) => f.message).join('\n'));
    // Container findings of the rendered Deployment are on the base's container.
    assert.ok(base.findings.some((f) => f.ruleId === 'run-as-non-root' && f.range.start.line === lineOf(join(tree, 'base/deployment.yaml'), '- name: shop')));
    // A folder that does not build: one finding on its kustomization.
    const broken = report(files, join(tree, 'missing-base/kustomization.yaml'));
    assert.deepEqual(broken.findings.map((f) => f.ruleId), ['kustomize/build-error']);
    assert.match(broken.findings[0]?.message ?? '', /no-such-base/);
    // The user's kustomization is read, never edited.
    assert.equal(readFileSync(join(tree, 'prod/kustomization.yaml'), 'utf8'), kustomization);
  });

  it('without --kubectl the base keeps its partial-object finding (rendering is what completes it)', async () => {
    const { files } = await run([join(fixtures, 'overlay-patch/base')]);
    assert.ok(report(files, join(fixtures, 'overlay-patch/base/deployment.yaml')).findings.some((f) => f.ruleId === 'schema/required'));
  });

  it('ldap: findings of the overlays land on the base files and on the generators in the kustomizations', async () => {
    const tree = join(fixtures, 'kustomize/ldap');
    const plain = await run([tree]);
    const { files, stderr } = await run([tree, '--kubectl', kubectl]);
    assert.equal(stderr, '');
    // The production patch makes 6 replicas: only the rendered Deployment has several replicas to spread.
    const deployment = report(files, join(tree, 'base/deployment.yaml'));
    assert.ok(deployment.findings.some((f) => f.ruleId === 'pod-anti-affinity'));
    assert.ok(!report(plain.files, join(tree, 'base/deployment.yaml')).findings.some((f) => f.ruleId === 'pod-anti-affinity'));
    // The ConfigMap generated from config.env is reported on the generator that makes it.
    const staging = report(files, join(tree, 'overlays/staging/kustomization.yaml'));
    assert.deepEqual(staging.findings.map((f) => [f.ruleId, f.range.start.line]), [['no-sensitive-configmap-data', lineOf(join(tree, 'overlays/staging/kustomization.yaml'), 'configMapGenerator')]]);
    assert.ok(files.every((f) => f.path.startsWith(tree + '/')));
  });

  for (const name of ['multibases', 'podinfo']) {
    it(`${name}: every rendered finding is on a line of the file it came from`, async () => {
      const tree = join(fixtures, 'kustomize', name);
      const { files, stderr } = await run([tree, '--kubectl', kubectl]);
      assert.equal(stderr, '');
      assert.ok(files.every((f) => f.path.startsWith(tree + '/') && !f.path.includes('.kgov-rendered')));
      assert.ok(files.some((f) => f.findings.length > 0));
      for (const f of files) {
        const lines = readFileSync(f.path, 'utf8').split('\n');
        for (const x of f.findings) assert.ok((lines[x.range.start.line] ?? '').trim() !== '', `${f.display}:${x.range.start.line + 1} ${x.ruleId}`);
      }
    });
  }
});
