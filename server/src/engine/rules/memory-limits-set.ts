import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';
import { QUANTITY_OPTION } from './utils/options';
import { checkLimit, RESOURCE_CONTAINERS } from './utils/resources';

/** Every container and init container limits memory. The fix inserts a placeholder with a TODO comment. */
export default defineRule<{ memory: string }>({
  meta: {
    id: 'memory-limits-set',
    category: 'efficiency',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container', containers: RESOURCE_CONTAINERS },
    docs: {
      summary: 'Containers limit memory (`resources.limits.memory`).',
      rationale: 'Without a memory limit a leaking container grows until the node runs out of memory, and the kernel then kills processes of other pods too. With a limit only the offending container is OOM-killed and restarted. The fix inserts a placeholder limit (option `memory`, default `512Mi`, or the request when that is higher) with a TODO comment: measure the real peak usage and adjust it.',
      url: docsUrl('memory-limits-set'),
    },
    messages: {
      pass: 'Container "{{name}}" limits memory.',
      missing: 'Container "{{name}}" has no memory limit (resources.limits.memory is not set) and may use all the memory of its node.',
      zero: 'Container "{{name}}" sets a memory limit of 0.',
    },
    aliases: { kubeLinter: 'unset-memory-requirements', polaris: 'memoryLimitsMissing', kubeScore: 'container-resources' },
    options: {
      type: 'object',
      properties: { memory: { ...QUANTITY_OPTION, description: 'The placeholder limit the fix inserts (the request is used when it is higher).' } },
      additionalProperties: false,
    },
    defaultOptions: { memory: '512Mi' },
    fixable: true,
    checklist: 'resources',
  },
  check(ctx) {
    checkLimit(ctx, 'memory', String(ctx.options.memory), 'TODO: set this to the most memory the container may use (it is OOM-killed above it)');
  },
});
