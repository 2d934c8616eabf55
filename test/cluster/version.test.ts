/** The cluster's /version -> the bundled Kubernetes version kgov validates against. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minorVersion, targetVersion } from '../../server/src/cluster/version';

const BUNDLED = ['1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36'];

describe('cluster version', () => {
  it('reads gitVersion, managed-cluster suffixes included, else major/minor', () => {
    assert.equal(minorVersion({ gitVersion: 'v1.30.4' }), '1.30');
    assert.equal(minorVersion({ gitVersion: 'v1.31.2-eks-7f9249a', major: '1', minor: '31+' }), '1.31');
    assert.equal(minorVersion({ gitVersion: 'v1.29.10+k3s1' }), '1.29');
    assert.equal(minorVersion({ major: '1', minor: '32+' }), '1.32');
    assert.equal(minorVersion({ gitVersion: 'unknown' }), undefined);
  });

  it('a bundled version is used as is; others map to the nearest bundled one, with a note', () => {
    assert.deepEqual(targetVersion('1.30', BUNDLED), { cluster: '1.30', bundled: '1.30' });
    assert.deepEqual(targetVersion('1.27', BUNDLED), { cluster: '1.27', bundled: '1.28', note: 'The cluster runs Kubernetes 1.27, older than the oldest version kgov bundles; validating against 1.28.' });
    assert.deepEqual(targetVersion('1.37', BUNDLED), { cluster: '1.37', bundled: '1.36', note: 'The cluster runs Kubernetes 1.37, newer than kgov\'s schemas; validating against 1.36.' });
    assert.equal(targetVersion('1.31', ['1.36', '1.28', '1.30']).bundled, '1.30', 'a gap: the newest older one');
  });
});
