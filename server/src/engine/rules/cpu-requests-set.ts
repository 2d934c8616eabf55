import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';
import { QUANTITY_OPTION } from './utils/options';
import { checkRequest, RESOURCE_CONTAINERS } from './utils/resources';

/**
 * Every container and init container requests CPU. A CPU limit without a request counts: the API server copies
 * the limit into the request. The fix inserts a placeholder (option `cpu`) with a TODO comment, like Polaris.
 */
export default defineRule<{ cpu: string; explicit: boolean }>({
  meta: {
    id: 'cpu-requests-set',
    category: 'efficiency',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container', containers: RESOURCE_CONTAINERS },
    docs: {
      summary: 'Containers request CPU (`resources.requests.cpu`).',
      rationale: 'The scheduler places pods by their requests: a container that requests no CPU is treated as needing none, so nodes get overcommitted and the container is the first to starve under contention (BestEffort or Burstable QoS). A CPU limit without a request is accepted, because the API server copies the limit into the request. The fix inserts a placeholder request (option `cpu`, default `100m`) with a TODO comment: measure the real usage and adjust it.',
      url: docsUrl('cpu-requests-set'),
    },
    messages: {
      pass: 'Container "{{name}}" requests CPU.',
      missing: 'Container "{{name}}" requests no CPU (resources.requests.cpu is not set), so the scheduler reserves none for it.',
      zero: 'Container "{{name}}" sets resources.requests.cpu to 0, so the scheduler reserves none for it.',
    },
    aliases: { kubeLinter: 'unset-cpu-requirements', polaris: 'cpuRequestsMissing', kubeScore: 'container-resources' },
    options: {
      type: 'object',
      properties: {
        cpu: { ...QUANTITY_OPTION, description: 'The placeholder request the fix inserts.' },
        explicit: { type: 'boolean', description: 'Require the request written out even when a limit is set, which the API server copies into an unset request (kube-score).' },
      },
      additionalProperties: false,
    },
    defaultOptions: { explicit: false, cpu: '100m' },
    fixable: true,
    checklist: 'resources',
  },
  check(ctx) {
    checkRequest(ctx, 'cpu', String(ctx.options.cpu), 'TODO: set this to the CPU the container needs at steady state', ctx.options.explicit);
  },
});
