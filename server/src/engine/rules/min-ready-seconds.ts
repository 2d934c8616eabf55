import { docsUrl } from '../registry/docs';
import { isInteger } from './utils/json';
import { defineRule } from '../rule';

/**
 * Strict: a pod that is ready for a moment and then crashes should not count as available. `minReadySeconds` makes
 * the rollout wait that long after readiness before it moves on, so a version that crashes soon after starting
 * stops the rollout instead of replacing every pod.
 */
export default defineRule({
  meta: {
    id: 'min-ready-seconds',
    category: 'rollout',
    defaultSeverity: 'warning',
    target: { kinds: ['Deployment', 'StatefulSet', 'DaemonSet'], scope: 'object' },
    docs: {
      summary: 'Long-running services set `minReadySeconds`, so that a pod counts as available only after it has stayed ready a while.',
      rationale: 'By default a new pod counts as available the moment its readiness probe first succeeds, and the rolling update moves on to the next pod. '
        + 'A version that crashes or fails its probes a few seconds later (a connection pool that runs dry, a cache that fills the memory) has by then replaced every pod. '
        + 'With `minReadySeconds` the controller waits that long after readiness before it counts the pod and continues, so such a version stops the rollout with most old pods still serving. '
        + 'How long depends on the service (10 to 30 seconds is common), so there is no quick fix. This is a strict-preset rule.',
      url: docsUrl('min-ready-seconds'),
    },
    messages: {
      pass: '{{kind}} "{{name}}" waits minReadySeconds before counting a new pod as available.',
      missing: '{{kind}} "{{name}}" sets no minReadySeconds: a new pod counts as available the moment it is first ready, even if it crashes right after.',
      zero: 'minReadySeconds is 0: a new pod of {{kind}} "{{name}}" counts as available the moment it is first ready, even if it crashes right after.',
    },
    checklist: 'rollout & rollback',
  },
  check(ctx) {
    const at = '/spec/minReadySeconds';
    const value = ctx.get(at);
    const data = { kind: ctx.resource.kind ?? '', name: ctx.resource.name ?? '' };
    if (value === undefined || value === null) ctx.report({ messageId: 'missing', data, at });
    else if (isInteger(value) && value === 0) ctx.report({ messageId: 'zero', data, at });
  },
});
