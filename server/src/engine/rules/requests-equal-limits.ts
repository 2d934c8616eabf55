import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';
import { containerName, missingAt } from './utils/container';
import { pathOf, RESOURCE_CONTAINERS, RESOURCE_LABEL, sameQuantity, written, type ResourceName } from './utils/resources';

type Which = 'cpu' | 'memory' | 'both';

/**
 * kube-score's three optional checks in one rule: requests equal limits for CPU, memory or both (option
 * `resources`). A missing request equals the limit (the API server copies it); a container that sets neither is
 * left to the *-requests-set and *-limits-set rules.
 */
export default defineRule<{ resources: Which }>({
  meta: {
    id: 'requests-equal-limits',
    category: 'efficiency',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container', containers: RESOURCE_CONTAINERS },
    docs: {
      summary: 'Containers request exactly what they limit (CPU, memory or both), for Guaranteed QoS.',
      rationale: 'When every container of a pod requests exactly its limits, the pod gets the Guaranteed QoS class: it is the last to be evicted under node pressure and its memory is never overcommitted. A request below the limit lets the container burst into memory the node may not have, and it is OOM-killed or evicted when neighbours claim theirs. This is a strict practice (it costs unused reservations), so it is opt-in; the option `resources` chooses `cpu`, `memory` or `both`. A container that sets neither value is left to the `*-requests-set` and `*-limits-set` rules. The fix raises the request to the limit (or adds a limit equal to the request).',
      url: docsUrl('requests-equal-limits'),
    },
    messages: {
      pass: 'Container "{{name}}" requests exactly what it limits.',
      differ: 'Container "{{name}}" requests {{request}} {{resource}} but limits it to {{limit}}; equal requests and limits give the pod Guaranteed QoS.',
      noLimit: 'Container "{{name}}" requests {{request}} {{resource}} but sets no {{resource}} limit; equal requests and limits give the pod Guaranteed QoS.',
    },
    aliases: { kubeScore: ['container-resource-requests-equal-limits', 'container-cpu-requests-equal-limits', 'container-memory-requests-equal-limits'] },
    options: {
      type: 'object',
      properties: { resources: { type: 'string', enum: ['cpu', 'memory', 'both'], description: 'Which resources must have equal requests and limits.' } },
      additionalProperties: false,
    },
    defaultOptions: { resources: 'both' },
    fixable: true,
    checklist: 'resources',
  },
  check(ctx) {
    const name = containerName(ctx);
    const which: ResourceName[] = ctx.options.resources === 'both' ? ['cpu', 'memory'] : [ctx.options.resources];
    // A container without requests is left to the *-requests-set rules.
    if (which.every((r) => written(ctx, 'requests', r) === undefined && written(ctx, 'limits', r) === undefined)) ctx.notApplicable();
    for (const resource of which) {
      const request = written(ctx, 'requests', resource);
      const limit = written(ctx, 'limits', resource);
      if (request === undefined) continue;
      const label = RESOURCE_LABEL[resource];
      if (limit === undefined) {
        const path = pathOf('limits', resource);
        const at = missingAt(ctx.get('/resources'), path);
        ctx.report({
          messageId: 'noLimit', data: { name, resource: label, request: String(request) }, ...(at ? { at } : {}),
          fix: { title: 'Limit {{resource}} to {{request}}, equal to the request', patch: [{ op: 'add', path, value: request }] },
        });
        continue;
      }
      if (sameQuantity(request, limit) !== false) continue;
      const path = pathOf('requests', resource);
      ctx.report({
        messageId: 'differ', data: { name, resource: label, request: String(request), limit: String(limit) }, at: path, anchor: 'value',
        fix: { title: 'Request {{limit}} {{resource}}, equal to the limit', patch: [{ op: 'replace', path, value: limit }] },
      });
    }
  },
});
