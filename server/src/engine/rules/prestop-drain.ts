import { docsUrl } from '../registry/docs';
import { isEmptySelector, matches, parseSelector } from '../k8s/selectors';
import { asObject } from './utils/json';
import { services } from './utils/references';
import { describe } from './utils/text';
import { LONG_RUNNING_KINDS } from './utils/workload';
import { defineRule } from '../rule';

/**
 * Strict: when a pod behind a Service is stopped, its removal from the endpoints reaches kube-proxy, Ingress
 * controllers and cloud load balancers some time after the kubelet sends SIGTERM. A preStop hook that waits a
 * few seconds keeps serving until they have stopped sending traffic.
 */
export default defineRule({
  meta: {
    id: 'prestop-drain',
    category: 'rollout',
    defaultSeverity: 'warning',
    target: { kinds: LONG_RUNNING_KINDS, scope: 'podSpec' },
    docs: {
      summary: 'Pods behind a Service have a `preStop` hook, so that endpoints drain before the container stops.',
      rationale: 'When a rollout stops a pod, the kubelet runs the preStop hooks and sends SIGTERM while, in parallel, the pod is removed from the Service\'s endpoints; '
        + 'kube-proxy on every node, Ingress controllers and cloud load balancers learn of it a few seconds later and keep sending new connections until then. '
        + 'A container that exits on SIGTERM right away refuses those connections: every rollout produces a burst of errors. '
        + 'A preStop hook that waits (the `sleep` action since Kubernetes 1.30, or an exec `sleep 5`) keeps the container serving until the endpoints have drained; '
        + 'remember to keep `terminationGracePeriodSeconds` longer than the wait (termination-grace-vs-prestop). '
        + 'The rule looks at workloads whose pod labels a Service of their namespace in the workspace selects (headless Services, `clusterIP: None`, balance nothing and do not count), and passes when any of their containers has a preStop hook. '
        + 'How long to wait depends on the load balancers, so there is no quick fix. This is a strict-preset rule.',
      url: docsUrl('prestop-drain'),
    },
    messages: {
      pass: 'The pods of {{kind}} "{{name}}" drain their endpoints before they stop.',
      missing: 'The pods of {{kind}} "{{name}}" are behind {{service}} but no container has a preStop hook: connections still routed to a stopping pod fail during each rollout.',
    },
    crossResource: true,
    checklist: 'rollout & rollback',
  },
  check(ctx) {
    const labels = ctx.podLabels ?? {};
    const namespace = ctx.resource.namespace;
    const service = services(ctx.workspace).find((s) => {
      const spec = asObject(s.value.spec);
      // A headless Service balances nothing: its clients resolve the pods' addresses themselves.
      if (ctx.workspace.namespaceOf(s) !== namespace || spec?.clusterIP === 'None') return false;
      const selector = parseSelector(spec?.selector, true);
      return selector !== undefined && !isEmptySelector(selector) && matches(selector, labels);
    });
    if (!service) {
      ctx.notApplicable();
      return;
    }
    const containers = Array.isArray(ctx.value.containers) ? ctx.value.containers : [];
    if (containers.some((c) => asObject(asObject(c)?.lifecycle)?.preStop !== undefined)) return;
    ctx.report({
      messageId: 'missing', at: '/containers',
      data: { kind: ctx.resource.kind, name: ctx.resource.name ?? '', service: `${describe(service)} (${ctx.workspace.where(service)})` },
    });
  },
});
