/**
 * Rollout and rollback readiness (issue 17): the `rollout` rules on a risky and on a carefully configured
 * Deployment, their quick fixes, and the checklist's "rollout & rollback" group (items of other groups listed once
 * more but counted once; PodDisruptionBudgets of other files linked to the workloads they cover).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEngine, type Engine } from '../../server/src/engine/engine';
import { fileBudgets, fileChecklist, linkBudgets, ROLLOUT_CHECKLIST_GROUP, scoreOf, type WorkloadChecklist } from '../../server/src/engine/features/checklist';
import { RULES } from '../../server/src/engine/rules';
import { Workspace } from '../../server/src/engine/workspace';
import { schemasDir } from '../../server/src/host/paths';

const RISKY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: risky
spec:
  replicas: 3
  revisionHistoryLimit: 0
  progressDeadlineSeconds: 5
  strategy:
    rollingUpdate:
      maxUnavailable: 100%
  selector:
    matchLabels: {app: risky}
  template:
    metadata:
      labels: {app: risky}
    spec:
      containers:
        - name: app
          image: example/app:1.4.2
          ports:
            - containerPort: 8080
          readinessProbe:
            httpGet: {path: /readyz, port: 8080}
          livenessProbe:
            httpGet: {path: /livez, port: 8080}
            initialDelaySeconds: 180
`;

const CAREFUL = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: careful
spec:
  replicas: 3
  revisionHistoryLimit: 5
  progressDeadlineSeconds: 300
  minReadySeconds: 10
  strategy:
    rollingUpdate:
      maxUnavailable: 1
      maxSurge: 1
  selector:
    matchLabels: {app: careful}
  template:
    metadata:
      labels: {app: careful}
      annotations:
        checksum/config: 9a1f
    spec:
      terminationGracePeriodSeconds: 45
      containers:
        - name: app
          image: example/app:1.4.2
          ports:
            - containerPort: 8080
          envFrom:
            - configMapRef: {name: careful-settings}
          startupProbe:
            httpGet: {path: /livez, port: 8080}
            failureThreshold: 18
          readinessProbe:
            httpGet: {path: /readyz, port: 8080}
          livenessProbe:
            httpGet: {path: /livez, port: 8080}
          lifecycle:
            preStop:
              sleep: {seconds: 5}
---
apiVersion: v1
kind: Service
metadata:
  name: careful
spec:
  selector: {app: careful}
  ports:
    - port: 80
      targetPort: 8080
`;

function lint(engine: Engine, files: Record<string, string>) {
  const workspace = new Workspace();
  for (const [path, text] of Object.entries(files)) workspace.setFile(path, engine.index(path, text));
  return Object.fromEntries(Object.entries(files).map(([path, text]) => [path, engine.lintFile(path, text, workspace, undefined, { outcomes: true })]));
}

const isRollout = (ruleId: string) => RULES[ruleId]?.meta.category === 'rollout';
const namespaceOf = (ns: string | undefined) => ns ?? 'default';

describe('rollout rules', () => {
  it('has at least ten rules in the rollout category, each in the rollout checklist group', () => {
    const ids = Object.keys(RULES).filter(isRollout);
    assert.ok(ids.length >= 10, `${ids.length} rollout rules`);
    for (const id of ids) assert.equal(RULES[id]?.meta.checklist, ROLLOUT_CHECKLIST_GROUP, id);
  });

  it('reports each risk of a risky Deployment, with fixes, and the fixed file has none of them', () => {
    const engine = createEngine({ schemasDir: schemasDir(), preset: 'recommended' });
    const { '/w/risky.yaml': result } = lint(engine, { '/w/risky.yaml': RISKY });
    const rollout = (result?.findings ?? []).filter((f) => isRollout(f.ruleId)).map((f) => `${f.ruleId}/${f.messageId}${f.fix ? ' (fix)' : ''}`).sort();
    assert.deepEqual(rollout, [
      'liveness-without-startup-probe/longDelay (fix)',
      'max-unavailable-bounded/allPercent (fix)',
      'progress-deadline-vs-readiness/tooShort (fix)',
      'revision-history-limit/zero (fix)',
    ]);
    const fixed = engine.fixAll('/w/risky.yaml', RISKY, undefined, (f) => isRollout(f.ruleId)).text;
    const after = lint(engine, { '/w/risky.yaml': fixed })['/w/risky.yaml'];
    assert.deepEqual((after?.findings ?? []).filter((f) => isRollout(f.ruleId)).map((f) => f.ruleId), []);
    assert.match(fixed, /startupProbe:/);
    assert.match(fixed, /revisionHistoryLimit: 10/);
  });

  it('reports nothing about a carefully configured Deployment, even in the strict preset', () => {
    const engine = createEngine({ schemasDir: schemasDir(), preset: 'strict' });
    const { '/w/careful.yaml': result } = lint(engine, { '/w/careful.yaml': CAREFUL });
    assert.deepEqual((result?.findings ?? []).filter((f) => isRollout(f.ruleId)).map((f) => `${f.ruleId}/${f.messageId}`), []);
    // And the rules did run: every rollout rule that concerns a Deployment passed.
    const outcomes = (result?.outcomes ?? []).filter((o) => isRollout(o.ruleId) && !o.notApplicable && o.resourcePointer === '' && o.docIndex === 0);
    assert.deepEqual([...new Set(outcomes.filter((o) => !o.failed).map((o) => o.ruleId))].sort(), [
      'config-change-rollout', 'liveness-without-startup-probe', 'max-unavailable-bounded', 'min-ready-seconds', 'prestop-drain',
      'progress-deadline-vs-readiness', 'revision-history-limit', 'termination-grace-vs-prestop',
    ]);
  });
});

describe('the rollout & rollback checklist group', () => {
  const engine = createEngine({ schemasDir: schemasDir(), preset: 'strict' });

  function checklistOf(files: Record<string, string>): WorkloadChecklist[] {
    const results = lint(engine, files);
    const workloads = Object.values(results).flatMap((r) => fileChecklist(engine, r, namespaceOf));
    linkBudgets(workloads, Object.values(results).flatMap((r) => fileBudgets(engine, r, namespaceOf)));
    return workloads;
  }

  it('lists the rollout rules and the related items of other groups, counting each item once', () => {
    const [risky] = checklistOf({ '/w/risky.yaml': RISKY });
    assert.ok(risky);
    const group = risky.groups.find((g) => g.group === ROLLOUT_CHECKLIST_GROUP);
    assert.ok(group, 'the workload has a rollout & rollback group');
    const failing = group.items.filter((i) => i.status === 'fail').map((i) => i.ruleId).sort();
    assert.deepEqual(failing, ['liveness-without-startup-probe', 'max-unavailable-bounded', 'min-ready-seconds', 'progress-deadline-vs-readiness', 'revision-history-limit']);
    // Related items of other groups are listed, marked with the group where they count.
    const readiness = group.items.find((i) => i.ruleId === 'readiness-probe-set');
    assert.equal(readiness?.primaryGroup, 'health probes');
    assert.equal(group.items.find((i) => i.ruleId === 'image-tag-pinned')?.primaryGroup, 'images');
    assert.ok(risky.groups.find((g) => g.group === 'health probes')?.items.some((i) => i.ruleId === 'readiness-probe-set' && i.primaryGroup === undefined));
    // Counted once: the score is that of the items without their repeats.
    const once = risky.groups.flatMap((g) => g.items).filter((i) => i.primaryGroup === undefined);
    assert.equal(risky.score, scoreOf(once).score);
    assert.equal(scoreOf(risky.groups.flatMap((g) => g.items)).total, scoreOf(once).total);
  });

  it('lists a PodDisruptionBudget of another file under the workloads it covers', () => {
    const pdb = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: careful
spec:
  maxUnavailable: 0
  selector:
    matchLabels: {app: careful}
`;
    const workloads = checklistOf({ '/w/careful.yaml': CAREFUL, '/w/pdb.yaml': pdb, '/w/risky.yaml': RISKY });
    const careful = workloads.find((w) => w.name === 'careful');
    const risky = workloads.find((w) => w.name === 'risky');
    const budget = careful?.groups.find((g) => g.group === ROLLOUT_CHECKLIST_GROUP)?.items.find((i) => i.ruleId === 'pdb-allows-disruption');
    assert.equal(budget?.status, 'fail');
    assert.equal(budget?.uri, '/w/pdb.yaml');
    assert.ok(careful && careful.score < 100, 'the blocking budget counts in the score');
    assert.equal(risky?.groups.flatMap((g) => g.items).some((i) => i.ruleId === 'pdb-allows-disruption'), false, 'the budget does not select risky');
  });
});
