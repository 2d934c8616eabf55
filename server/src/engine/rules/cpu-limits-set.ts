import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';
import { QUANTITY_OPTION } from './utils/options';
import { checkLimit, RESOURCE_CONTAINERS } from './utils/resources';

/**
 * Every container and init container limits CPU. Contested: CPU limits throttle a container even when the node
 * has idle CPU, so this rule is opt-in (no preset but `all` turns it on).
 */
export default defineRule<{ cpu: string }>({
  meta: {
    id: 'cpu-limits-set',
    category: 'efficiency',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container', containers: RESOURCE_CONTAINERS },
    docs: {
      summary: 'Containers limit CPU (`resources.limits.cpu`); opt-in, because CPU limits are a contested practice.',
      rationale: 'A CPU limit caps how much CPU a container can burn, which protects its neighbours from a runaway process and is required for Guaranteed QoS. It also throttles the container when the node has idle CPU, which hurts latency; many teams therefore set CPU requests but no CPU limits, and this rule is off in the `recommended` preset. The fix inserts a placeholder limit (option `cpu`, default `500m`, or the request when that is higher) with a TODO comment.',
      url: docsUrl('cpu-limits-set'),
    },
    messages: {
      pass: 'Container "{{name}}" limits CPU.',
      missing: 'Container "{{name}}" has no CPU limit (resources.limits.cpu is not set) and may use all the CPU of its node.',
      zero: 'Container "{{name}}" sets a CPU limit of 0.',
    },
    aliases: { polaris: 'cpuLimitsMissing', kubeScore: 'container-resources' },
    options: {
      type: 'object',
      properties: { cpu: { ...QUANTITY_OPTION, description: 'The placeholder limit the fix inserts (the request is used when it is higher).' } },
      additionalProperties: false,
    },
    defaultOptions: { cpu: '500m' },
    fixable: true,
    checklist: 'resources',
  },
  check(ctx) {
    checkLimit(ctx, 'cpu', String(ctx.options.cpu), 'TODO: set this to the most CPU the container may use');
  },
});
