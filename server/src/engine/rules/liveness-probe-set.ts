import { docsUrl } from '../registry/docs';
import { LONG_RUNNING_KINDS, probeScaffold } from './utils/workload';
import { probeScopeOptions, probeWaived, type ProbeScopeOptions } from './utils/probe-scope';
import { defineRule } from '../rule';

/**
 * Every long-running container has a livenessProbe. Jobs and CronJobs are skipped (as Polaris and kube-score
 * do); init and ephemeral containers cannot have one.
 */
export default defineRule<ProbeScopeOptions>({
  meta: {
    id: 'liveness-probe-set',
    category: 'reliability',
    defaultSeverity: 'warning',
    target: { kinds: LONG_RUNNING_KINDS, scope: 'container', containers: ['containers'] },
    docs: {
      summary: 'Containers of long-running workloads define a `livenessProbe`.',
      rationale: 'A liveness probe lets the kubelet restart a container that is deadlocked or stuck without exiting; without one, such a container keeps its place (and its share of traffic) until someone notices. It should check only the process itself, never its dependencies, or an outage elsewhere restarts every replica. Jobs and CronJobs are not checked. The quick fix is a scaffold to adapt (it carries a TODO comment): an `httpGet` on `/livez` of the first declared TCP port when its name or number says HTTP, a `tcpSocket` on it otherwise, with a higher failureThreshold than the readiness scaffold; a container that declares no port gets no fix.',
      url: docsUrl('liveness-probe-set'),
    },
    messages: {
      pass: 'Container "{{name}}" has a livenessProbe.',
      missing: 'Container "{{name}}" has no livenessProbe: the kubelet cannot restart it when it hangs.',
    },
    aliases: { kubeLinter: 'no-liveness-probe', polaris: 'livenessProbeMissing', kubeScore: 'pod-probes' },
    options: { type: 'object', additionalProperties: false, properties: probeScopeOptions('livenessProbe') },
    defaultOptions: { perPod: false, serviceTargetsOnly: false },
    crossResourceOption: 'serviceTargetsOnly',
    fixable: true,
    checklist: 'health probes',
  },
  check(ctx) {
    if (ctx.value.livenessProbe !== undefined) return;
    const waived = probeWaived(ctx, 'livenessProbe');
    if (waived === 'untargeted') ctx.notApplicable();
    if (waived) return;
    const name = String(ctx.value.name ?? '');
    const scaffold = probeScaffold(ctx.value, 'livenessProbe');
    ctx.report({
      messageId: 'missing', data: { name, port: scaffold?.port ?? '' },
      ...(scaffold ? {
        fix: {
          title: `Add a livenessProbe scaffold (${scaffold.handler} on port {{port}})`,
          patch: [{ op: 'add', path: '/livenessProbe', value: scaffold.value, comment: `TODO: make it fail only when "${name}" must be restarted` }],
        },
      } : {}),
    });
  },
});
