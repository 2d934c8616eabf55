/** Upgrade readiness in `kgov audit`'s text output, through the bundled CLI (server/out/cli.js). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

const root = resolve(__dirname, '../..');
const cli = join(root, 'server/out/cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'kgov-upgrade-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function kgov(args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: scratch, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const FLOW_SCHEMA = `# Served by 1.31, removed in 1.32.
apiVersion: flowcontrol.apiserver.k8s.io/v1beta3
kind: FlowSchema
metadata:
  name: batch-jobs
spec:
  priorityLevelConfiguration:
    name: workload-low
  matchingPrecedence: 1000
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  LOG_LEVEL: info
`;

describe('kgov audit: upgrade readiness', () => {
  writeFileSync(join(scratch, 'cluster.yaml'), FLOW_SCHEMA);

  it('lists, per next Kubernetes version, the resources it stops serving, where they are and what replaces them', () => {
    const result = kgov(['audit', '--kubernetes-version', '1.31', 'cluster.yaml']);
    const text = result.stdout;
    const start = text.indexOf('Upgrade readiness');
    assert.ok(start >= 0, text);
    assert.deepEqual(text.slice(start).trimEnd().split('\n'), [
      'Upgrade readiness from Kubernetes 1.31:',
      '  Kubernetes 1.32 stops serving 1 resource:',
      '    cluster.yaml:5 FlowSchema "batch-jobs" flowcontrol.apiserver.k8s.io/v1beta3 -> flowcontrol.apiserver.k8s.io/v1',
      '  Kubernetes 1.33 serves every resource.',
    ]);
  });

  it('adds nothing when the next versions serve every resource', () => {
    const result = kgov(['audit', '--kubernetes-version', '1.32', 'cluster.yaml']);
    assert.doesNotMatch(result.stdout, /Upgrade readiness/);
  });
});
