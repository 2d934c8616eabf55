/** Live checklist items from a file's workload and the object the cluster serves (pure functions). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { driftOf, liveItems, type LiveInput } from '../../server/src/cluster/live';
import type { JsonObject } from '../../server/src/engine/types';

const file: JsonObject = {
  apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'data', labels: { app: 'db' } },
  spec: {
    replicas: 3, serviceName: 'db',
    template: {
      metadata: { labels: { app: 'db' } },
      spec: {
        hostNetwork: false,
        containers: [
          { name: 'sidecar', image: 'envoy:1.30', ports: [{ containerPort: 9901 }] },
          { name: 'db', image: 'postgres:16.3', resources: { requests: { cpu: 0.5, memory: '1Gi' } }, env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
        ],
      },
    },
  },
};

/** As a server returns it: defaults filled in, quantities canonical, false/0 omitted, lists in its own order. */
const live = (patch: (o: any) => void = () => {}): JsonObject => {
  const o: any = structuredClone(file);
  delete o.apiVersion;
  delete o.kind;
  delete o.spec.template.spec.hostNetwork;
  o.metadata.generation = 2;
  o.metadata.managedFields = [{ manager: 'kubectl' }];
  o.spec.podManagementPolicy = 'OrderedReady';
  o.spec.template.spec.containers.reverse();
  o.spec.template.spec.containers[0].resources.requests = { cpu: '500m', memory: '1024Mi' };
  o.spec.template.spec.containers[0].env.reverse();
  o.spec.template.spec.containers[0].terminationMessagePath = '/dev/termination-log';
  o.status = { observedGeneration: 2, replicas: 3, readyReplicas: 3, updatedReplicas: 3, currentRevision: 'db-5c9d', updateRevision: 'db-5c9d' };
  patch(o);
  return o;
};

const input = (value: JsonObject, liveObject: JsonObject): LiveInput => ({
  kind: String(value.kind), value, live: liveObject, context: 'prod', uri: '/w/db.yaml',
  rangeOf: (pointer, anchor) => ({ start: { line: pointer.length, character: anchor.length }, end: { line: pointer.length, character: anchor.length + 1 } }),
});

describe('live checklist items', () => {
  it('a workload that matches the cluster passes every item; quantities, omitted zero values and list order do not count as drift', () => {
    const items = liveItems(input(file, live()));
    assert.deepEqual(items.map((i) => [i.group, i.item.ruleId, i.item.status, i.item.message]), [
      ['images', 'cluster/live-image', 'pass', 'The cluster runs the images the file names (2 containers).'],
      ['availability', 'cluster/live-replicas', 'pass', '3 of 3 replicas ready in the cluster (context "prod") (0 available, 3 up to date).'],
      ['availability', 'cluster/live-rollout', 'pass', 'Rollout complete (revision db-5c9d) in the cluster (context "prod").'],
      ['availability', 'cluster/live-drift', 'pass', 'No drift in the cluster (context "prod"): the 16 fields the file sets match.'],
    ]);
    assert.ok(items.every((i) => i.item.live === true && i.item.uri === '/w/db.yaml'));
  });

  it('drift names the fields, with both values, and points at the first one in the file', () => {
    const changed = live((o) => {
      o.spec.replicas = 5;
      o.metadata.labels.app = 'database';
      o.spec.template.spec.containers[0].env = [{ name: 'A', value: '1' }];
      o.spec.template.spec.containers[0].resources.requests.cpu = '250m';
    });
    const { fields } = driftOf(file, changed);
    assert.deepEqual(fields.map((f) => [f.pointer, f.file, f.live]), [
      ['/metadata/labels/app', 'db', 'database'],
      ['/spec/replicas', 3, 5],
      ['/spec/template/spec/containers/1/resources/requests/cpu', 0.5, '250m'],
      ['/spec/template/spec/containers/1/env/1', { name: 'B', value: '2' }, undefined],
    ]);
    const drift = liveItems(input(file, changed)).find((i) => i.item.ruleId === 'cluster/live-drift');
    assert.equal(drift?.item.status, 'fail');
    assert.equal(drift?.item.message, 'The live object drifted from the file in the cluster (context "prod"): metadata.labels.app (file db, cluster database), spec.replicas (file 3, cluster 5), spec.template.spec.containers[1].resources.requests.cpu (file 0.5, cluster 250m) and 1 more.');
    assert.deepEqual(drift?.item.range.start, { line: '/metadata/labels/app'.length, character: 'value'.length });
  });

  it('a deployed image that differs fails the image item (and is not counted again as drift)', () => {
    const changed = live((o) => {
      o.spec.template.spec.containers[0].image = 'postgres:16.2';
    });
    const items = liveItems(input(file, changed));
    const image = items.find((i) => i.item.ruleId === 'cluster/live-image');
    assert.equal(image?.item.message, 'Deployed image differs in the cluster (context "prod"): container "db" runs postgres:16.2, the file says postgres:16.3.');
    assert.deepEqual(image?.item.range.start.line, '/spec/template/spec/containers/1/image'.length);
    assert.equal(items.find((i) => i.item.ruleId === 'cluster/live-drift')?.item.status, 'pass');
  });

  it('rollouts: a StatefulSet between revisions, a generation not yet observed, a Deployment past its deadline, a DaemonSet', () => {
    const rolling = liveItems(input(file, live((o) => {
      o.status.updateRevision = 'db-7f00';
      o.status.updatedReplicas = 1;
      o.status.readyReplicas = 2;
    })));
    assert.deepEqual(rolling.filter((i) => i.group === 'availability' && i.item.ruleId !== 'cluster/live-drift').map((i) => [i.item.status, i.item.message]), [
      ['fail', '2 of 3 replicas ready in the cluster (context "prod") (0 available, 1 up to date).'],
      ['fail', 'Rollout in progress: 1 pods on revision db-7f00, the rest on db-5c9d in the cluster (context "prod").'],
    ]);
    const unobserved = liveItems(input(file, live((o) => {
      o.metadata.generation = 3;
    }))).find((i) => i.item.ruleId === 'cluster/live-rollout');
    assert.equal(unobserved?.item.message, 'Rollout pending: the controller has not seen generation 3 yet (observed 2) in the cluster (context "prod").');

    const deployment: JsonObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'web', image: 'web:2' }] } } } };
    const stuck = liveItems(input(deployment, {
      metadata: { name: 'web', generation: 7 }, spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'web:2' }] } } },
      status: {
        observedGeneration: 7, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 1, conditions: [
          { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', lastUpdateTime: '2024-09-01T10:00:00Z' },
          { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-9" has timed out progressing.', lastUpdateTime: '2024-09-01T10:10:00Z' },
        ],
      },
    }));
    assert.deepEqual(stuck.map((i) => [i.item.ruleId, i.item.status]), [
      ['cluster/live-image', 'pass'], ['cluster/live-replicas', 'pass'], ['cluster/live-rollout', 'fail'], ['cluster/live-drift', 'pass']]);
    assert.equal(stuck[2]?.item.message, 'Latest rollout condition: Progressing=False (ProgressDeadlineExceeded): ReplicaSet "web-9" has timed out progressing in the cluster (context "prod").');
    assert.equal(stuck[1]?.item.range.start.character, 'name'.length, 'no replicas in the file: the name');

    const daemon: JsonObject = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: {} };
    const ds = liveItems(input(daemon, { metadata: { name: 'agent' }, spec: {}, status: { desiredNumberScheduled: 4, numberReady: 3, updatedNumberScheduled: 4, numberUnavailable: 1 } }));
    assert.deepEqual(ds.map((i) => [i.item.ruleId, i.item.status, i.item.message]), [
      ['cluster/live-replicas', 'fail', '3 of 4 daemon pods ready in the cluster (context "prod") (4 up to date).'],
      ['cluster/live-rollout', 'fail', 'Rollout: 4 of 4 daemon pods up to date, 1 unavailable in the cluster (context "prod").'],
      ['cluster/live-drift', 'pass', 'No drift in the cluster (context "prod"): the one field the file sets matches.'],
    ]);
  });
});
