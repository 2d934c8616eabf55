/** Upgrade readiness (features/upgrade.ts): what the next two Kubernetes versions after the target stop serving, from the bundled specs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextVersions, upgradeReadiness } from '../../server/src/engine/features/upgrade';
import { SchemaCatalog } from '../../server/src/engine/schema/catalog';
import { schemasDir } from '../../server/src/host/paths';

const catalog = new SchemaCatalog(schemasDir());
const resource = (apiVersion: string, kind: string, name: string) => ({ uri: '/w/cluster.yaml', apiVersion, kind, name });

describe('upgrade readiness', () => {
  it('names the next two minor versions', () => {
    assert.deepEqual(nextVersions('1.34'), ['1.35', '1.36']);
    assert.deepEqual(nextVersions('1.9'), ['1.10', '1.11']);
  });

  it('lists each resource under the first next version that stops serving it, with the replacement', () => {
    const outlook = upgradeReadiness(catalog, [
      resource('apps/v1', 'Deployment', 'web'),
      resource('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', 'fs'),
      resource('authentication.k8s.io/v1beta1', 'SelfSubjectReview', 'ssr'),
      resource('admissionregistration.k8s.io/v1beta1', 'ValidatingAdmissionPolicy', 'vap'),
      // Not served by the target already (today's api/removed finding), and a custom resource: not in the outlook.
      resource('flowcontrol.apiserver.k8s.io/v1beta2', 'FlowSchema', 'old'),
      resource('argoproj.io/v1alpha1', 'Rollout', 'custom'),
    ], 'v1.31.4');
    assert.equal(outlook.target, '1.31');
    assert.deepEqual(outlook.next.map((n) => [n.version, n.bundled, n.removed.map((r) => `${r.name} -> ${r.replacement ?? '(none)'}`)]), [
      ['1.32', true, ['fs -> flowcontrol.apiserver.k8s.io/v1']],
      ['1.33', true, ['ssr -> authentication.k8s.io/v1']],
    ]);
    // Two versions on, the next removal shows: the v1beta1 admission policy is served until 1.33.
    const later = upgradeReadiness(catalog, [resource('admissionregistration.k8s.io/v1beta1', 'ValidatingAdmissionPolicy', 'vap')], '1.32');
    assert.deepEqual(later.next.map((n) => n.removed.map((r) => r.name)), [[], ['vap']]);
  });

  it('says when kgov bundles no spec of a next version, and knows nothing about it', () => {
    const last = catalog.versions.at(-1) as string;
    const outlook = upgradeReadiness(catalog, [resource('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', 'fs')], last);
    assert.deepEqual(outlook.next.map((n) => [n.bundled, n.removed.length]), [[false, 0], [false, 0]]);
  });
});
