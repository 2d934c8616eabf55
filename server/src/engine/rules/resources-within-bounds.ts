import { docsUrl } from '../registry/docs';
import { parseQuantity } from '../k8s/quantity';
import { defineRule } from '../rule';
import { QUANTITY_OPTION } from './utils/options';
import { containerName } from './utils/container';
import { pathOf, RESOURCE_CONTAINERS, RESOURCE_LABEL, written, type ResourceField } from './utils/resources';

type Bound = { min?: string | number; max?: string | number };
type Bounds = { requests?: Bound; limits?: Bound };
type Options = { cpu?: Bounds; memory?: Bounds };

const bound = { type: 'object', properties: { min: QUANTITY_OPTION, max: QUANTITY_OPTION }, additionalProperties: false };
const bounds = (resource: string) => ({
  type: 'object',
  properties: { requests: bound, limits: bound },
  additionalProperties: false,
  description: `Bounds of the ${resource} requests and limits: \`{ requests: { min, max }, limits: { min, max } }\`, each a quantity.`,
});

/**
 * Organisation bounds for requests and limits (kube-linter's cpu-requirements / memory-requirements templates,
 * Polaris' custom resourceMinimum / resourceMaximum). Needs configuration: with no bounds it reports nothing.
 */
export default defineRule<Options>({
  meta: {
    id: 'resources-within-bounds',
    category: 'efficiency',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container', containers: RESOURCE_CONTAINERS },
    docs: {
      summary: 'Container CPU and memory requests and limits stay within the bounds your organisation sets (needs configuration).',
      rationale: 'Platform teams size nodes and quotas for a range of container sizes: a request of 64 CPUs never schedules, a memory limit of 4Mi crash-loops, and oversized requests waste capacity that other teams pay for. This rule needs configuration: with no bounds (the default) it reports nothing. For example `resources-within-bounds: [warning, { cpu: { requests: { min: 50m, max: "4" } }, memory: { limits: { max: 8Gi } } }]` in `.kgov.yaml` (each of `cpu` and `memory` takes `requests` and `limits`, each with `min` and `max`). Bounds are quantities compared by value (`500m` equals `0.5`); a missing request is taken from the limit, as the API server does, and unset values are left to the `*-requests-set` and `*-limits-set` rules. There is no fix: the right size is a human decision.',
      url: docsUrl('resources-within-bounds'),
    },
    messages: {
      pass: 'Container "{{name}}" has requests and limits within the configured bounds.',
      tooLow: 'Container "{{name}}" has a {{field}} of {{value}}, below the minimum of {{bound}}.',
      tooHigh: 'Container "{{name}}" has a {{field}} of {{value}}, above the maximum of {{bound}}.',
    },
    aliases: { kubeLinter: ['cpu-requirements', 'memory-requirements'], polaris: ['resourceMinimum', 'resourceMaximum'] },
    options: { type: 'object', properties: { cpu: bounds('CPU'), memory: bounds('memory') }, additionalProperties: false },
    defaultOptions: {},
    checklist: 'resources',
  },
  check(ctx) {
    const name = containerName(ctx);
    let compared = false;
    for (const resource of ['cpu', 'memory'] as const) {
      const configured = ctx.options[resource];
      if (!configured) continue;
      for (const field of ['requests', 'limits'] as ResourceField[]) {
        const limits = configured[field];
        if (!limits || (limits.min === undefined && limits.max === undefined)) continue;
        let value = written(ctx, field, resource);
        let from = field;
        if (value === undefined && field === 'requests') {
          value = written(ctx, 'limits', resource);
          from = 'limits';
        }
        const amount = parseQuantity(value);
        if (value === undefined || amount === undefined) continue;
        compared = true;
        const fieldText = `${RESOURCE_LABEL[resource]} ${field === 'requests' ? 'request' : 'limit'}${from !== field ? ' (taken from its limit)' : ''}`;
        const at = pathOf(from, resource);
        const min = parseQuantity(limits.min);
        const max = parseQuantity(limits.max);
        if (min !== undefined && amount < min) {
          ctx.report({ messageId: 'tooLow', data: { name, field: fieldText, value: String(value), bound: String(limits.min) }, at, anchor: 'value' });
        } else if (max !== undefined && amount > max) {
          ctx.report({ messageId: 'tooHigh', data: { name, field: fieldText, value: String(value), bound: String(limits.max) }, at, anchor: 'value' });
        }
      }
    }
    // No bounds configured, or none of the bounded values set.
    if (!compared) ctx.notApplicable();
  },
});
