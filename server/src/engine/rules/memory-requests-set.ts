import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';
import { QUANTITY_OPTION } from './utils/options';
import { checkRequest, RESOURCE_CONTAINERS } from './utils/resources';

/**
 * Every container and init container requests memory. A memory limit without a request counts: the API server
 * copies the limit into the request. The fix inserts a placeholder (option `memory`) with a TODO comment.
 */
export default defineRule<{ memory: string; explicit: boolean }>({
  meta: {
    id: 'memory-requests-set',
    category: 'efficiency',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container', containers: RESOURCE_CONTAINERS },
    docs: {
      summary: 'Containers request memory (`resources.requests.memory`).',
      rationale: 'The scheduler places pods by their requests: a container that requests no memory is treated as needing none, so nodes get overcommitted and, under memory pressure, the kubelet evicts it before pods that declared what they use. A memory limit without a request is accepted, because the API server copies the limit into the request. The fix inserts a placeholder request (option `memory`, default `512Mi`) with a TODO comment: measure the real usage and adjust it.',
      url: docsUrl('memory-requests-set'),
    },
    messages: {
      pass: 'Container "{{name}}" requests memory.',
      missing: 'Container "{{name}}" requests no memory (resources.requests.memory is not set), so the scheduler reserves none for it.',
      zero: 'Container "{{name}}" sets resources.requests.memory to 0, so the scheduler reserves none for it.',
    },
    aliases: { polaris: 'memoryRequestsMissing', kubeScore: 'container-resources' },
    options: {
      type: 'object',
      properties: {
        memory: { ...QUANTITY_OPTION, description: 'The placeholder request the fix inserts.' },
        explicit: { type: 'boolean', description: 'Require the request written out even when a limit is set, which the API server copies into an unset request (kube-score).' },
      },
      additionalProperties: false,
    },
    defaultOptions: { explicit: false, memory: '512Mi' },
    fixable: true,
    checklist: 'resources',
  },
  check(ctx) {
    checkRequest(ctx, 'memory', String(ctx.options.memory), 'TODO: set this to the memory the container needs at steady state', ctx.options.explicit);
  },
});
