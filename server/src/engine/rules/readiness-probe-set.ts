import { docsUrl } from '../registry/docs';
import { LONG_RUNNING_KINDS, probeScaffold } from './utils/workload';
import { probeScopeOptions, probeWaived, type ProbeScopeOptions } from './utils/probe-scope';
import { defineRule } from '../rule';

/**
 * Every long-running container has a readinessProbe. Jobs and CronJobs run to completion and receive no
 * traffic, so their pods are skipped (as Polaris and kube-score do); init and ephemeral containers cannot
 * have one.
 */
export default defineRule<ProbeScopeOptions>({
  meta: {
    id: 'readiness-probe-set',
    category: 'reliability',
    defaultSeverity: 'warning',
    target: { kinds: LONG_RUNNING_KINDS, scope: 'container', containers: ['containers'] },
    docs: {
      summary: 'Containers of long-running workloads define a `readinessProbe`.',
      rationale: 'Without a readiness probe a pod receives traffic from its Services as soon as its containers start, before the application can answer, and a rollout carries on even when the new version never becomes ready. Jobs and CronJobs are not checked: they serve no traffic. The quick fix is a scaffold to adapt (it carries a TODO comment): an `httpGet` on `/readyz` of the first declared TCP port when its name or number says HTTP, a `tcpSocket` on it otherwise; a container that declares no port gets no fix, since there is nothing to point the probe at.',
      url: docsUrl('readiness-probe-set'),
    },
    messages: {
      pass: 'Container "{{name}}" has a readinessProbe.',
      missing: 'Container "{{name}}" has no readinessProbe: it receives traffic before it is ready.',
    },
    aliases: { kubeLinter: 'no-readiness-probe', polaris: 'readinessProbeMissing', kubeScore: 'pod-probes' },
    options: { type: 'object', additionalProperties: false, properties: probeScopeOptions('readinessProbe') },
    defaultOptions: { perPod: false, serviceTargetsOnly: false },
    crossResourceOption: 'serviceTargetsOnly',
    fixable: true,
    checklist: 'health probes',
  },
  check(ctx) {
    if (ctx.value.readinessProbe !== undefined) return;
    const waived = probeWaived(ctx, 'readinessProbe');
    if (waived === 'untargeted') ctx.notApplicable();
    if (waived) return;
    const name = String(ctx.value.name ?? '');
    const scaffold = probeScaffold(ctx.value, 'readinessProbe');
    ctx.report({
      messageId: 'missing', data: { name, port: scaffold?.port ?? '' },
      ...(scaffold ? {
        fix: {
          title: `Add a readinessProbe scaffold (${scaffold.handler} on port {{port}})`,
          patch: [{ op: 'add', path: '/readinessProbe', value: scaffold.value, comment: `TODO: make it answer only when "${name}" can serve traffic` }],
        },
      } : {}),
    });
  },
});
