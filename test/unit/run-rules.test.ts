/** The rule runner: targets walked once per resource, and the contract guards that name the misbehaving rule. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEngine } from '../../server/src/engine/engine';
import { RULES } from '../../server/src/engine/rules';
import { defineRule, type Report, type Rule, type RuleError } from '../../server/src/engine/rule';
import { runRules, type ActiveRule, type RuleFinding, type RuleSink } from '../../server/src/engine/lint/run-rules';
import { Workspace } from '../../server/src/engine/workspace';
import { schemasDir } from '../../server/src/host/paths';

const engine = createEngine({ schemasDir: schemasDir() });
const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      initContainers: [{name: init, image: busybox:1.36}]
      containers: [{name: web, image: nginx:1.27}, {name: sidecar, image: envoy:1.30}]
`;
const [resource] = engine.analyze('/d.yaml', deployment).resources;

function testRule(id: string, scope: 'object' | 'podSpec' | 'container', report: (r: (x: Report) => void, name: string) => void, fixable = false): Rule<object> {
  return defineRule({
    meta: {
      id, category: 'reliability', defaultSeverity: 'warning', target: { kinds: 'workloads', scope },
      docs: { summary: 's.', rationale: 'r.', url: 'u' }, messages: { pass: 'ok', bad: 'Container "{{name}}" is bad.' }, checklist: false, fixable,
    },
    check: (ctx) => report(ctx.report, typeof ctx.value.name === 'string' ? ctx.value.name : ''),
  }) as Rule<object>;
}

function run(rules: Array<Rule<object>>) {
  const findings: RuleFinding[] = [];
  const outcomes: string[] = [];
  const failures: RuleError[] = [];
  const sink: RuleSink = {
    finding: (f) => findings.push(f),
    outcome: (ruleId, target, failed) => outcomes.push(`${ruleId} ${target} ${failed ? 'fail' : 'pass'}`),
    failed: (error) => failures.push(error),
  };
  const active: ActiveRule[] = rules.map((rule) => ({ rule, severity: 'warning', options: {} }));
  runRules(active, resource!, new Workspace(), '1.34', sink);
  return { findings, outcomes, failures };
}

describe('rule runner', () => {
  it('walks each container of every list, and gives one outcome per target', () => {
    const { findings, outcomes } = run([testRule('per-container', 'container', (report, name) => name === 'sidecar' && report({ messageId: 'bad', data: { name } }))]);
    assert.deepEqual(outcomes, [
      'per-container /spec/template/spec/containers/0 pass',
      'per-container /spec/template/spec/containers/1 fail',
      'per-container /spec/template/spec/initContainers/0 pass',
    ]);
    assert.deepEqual(findings.map((f) => `${f.pointer} ${f.message}`), ['/spec/template/spec/containers/1/name Container "sidecar" is bad.']);
  });

  it('names the rule that reports an unknown message, lacks placeholder data, or fixes without meta.fixable', () => {
    const { failures, outcomes } = run([
      testRule('unknown-message', 'object', (report) => report({ messageId: 'nope' })),
      testRule('missing-data', 'object', (report) => report({ messageId: 'bad' })),
      testRule('unfixable', 'object', (report) => report({ messageId: 'bad', data: { name: 'x' }, fix: { title: 't', patch: [{ op: 'remove', path: '/spec' }] } })),
      testRule('throws', 'podSpec', () => {
        throw new TypeError('boom');
      }),
      testRule('healthy', 'object', () => undefined),
    ]);
    assert.deepEqual(failures.map((e) => e.message), [
      'Rule "unknown-message": reported unknown messageId "nope"',
      'Rule "missing-data": message placeholder "{{name}}" has no data',
      'Rule "unfixable": reported a fix but meta.fixable is not true',
      'Rule "throws": failed: boom',
    ]);
    assert.deepEqual(outcomes, ['healthy  pass'], 'the rules after a failing one still run');
  });

  it('turns a failing rule into a kgov/internal-error finding on the resource, and keeps checking', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: "b:1", securityContext: {privileged: true}}]\n  hostNetwork: true\n';
    const rule = RULES['no-host-network'] as Rule<object>;
    const check = rule.check;
    rule.check = () => {
      throw new Error('simulated bug');
    };
    try {
      const findings = createEngine({ schemasDir: schemasDir(), preset: 'pss-baseline' }).lint('/p.yaml', text);
      assert.deepEqual(findings.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.ruleId} ${f.message}`), [
        '3:18 kgov/internal-error Rule "no-host-network": failed: simulated bug. The rest of the document is still checked.',
        '5:70 no-privileged-container Container "c" runs privileged (securityContext.privileged: true).',
      ]);
    } finally {
      rule.check = check;
    }
  });
});

describe('kinds by name', () => {
  it('a custom resource that shares a Kubernetes kind name is not that kind, for rules and for workspace queries', () => {
    const engine = createEngine({ schemasDir: schemasDir(), preset: 'all' });
    const text = (apiVersion: string) => `apiVersion: ${apiVersion}\nkind: Job\nmetadata:\n  name: train\n  namespace: ml\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: busybox:1.36}]\n`;
    const ruleIds = (apiVersion: string) => engine.lint('/job.yaml', text(apiVersion)).map((f) => f.ruleId).filter((id) => !id.includes('/'));
    assert.ok(ruleIds('batch/v1').includes('job-ttl-after-finished'), 'a batch/v1 Job is checked');
    // Only the rules for every kind (sorted-keys) apply to it.
    assert.deepEqual(ruleIds('batch.volcano.sh/v1alpha1'), ['sorted-keys'], 'a Volcano Job is not a Job');
    const workspace = new Workspace();
    workspace.setFile('/a.yaml', engine.index('/a.yaml', text('batch.volcano.sh/v1alpha1')));
    workspace.setFile('/b.yaml', engine.index('/b.yaml', text('batch/v1')));
    assert.deepEqual(workspace.resources('Job').map((r) => r.apiVersion), ['batch/v1']);
    assert.deepEqual(workspace.resources('batch.volcano.sh/Job').map((r) => r.apiVersion), ['batch.volcano.sh/v1alpha1']);
  });
});
