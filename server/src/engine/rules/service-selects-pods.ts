import { docsUrl } from '../registry/docs';
import { joinPointer } from '../util/pointer';
import { describeSelector, isEmptySelector, matches, parseSelector } from '../k8s/selectors';
import { isJsonObject } from '../types';
import { defineRule, type FixSpec } from '../rule';
import { REQUIRE_DEFINED_OPTION } from './utils/options';
import { closest, hint, labelsFor } from './utils/network';
import { isApi, kindsText, managedWorkloadKinds, podOwners } from './utils/references';

/**
 * A Service's selector matches the pod (template) labels of at least one workload of its namespace. Services
 * without a selector (ExternalName, manually managed Endpoints) are not checked, and neither is anything when
 * the workspace holds no workload at all (unless `requireDefined`).
 */
export default defineRule<{ requireDefined: boolean }>({
  meta: {
    id: 'service-selects-pods',
    category: 'networking',
    defaultSeverity: 'warning',
    target: { kinds: ['Service'], scope: 'object' },
    docs: {
      summary: 'A Service\'s selector matches the pods of at least one workload in its namespace.',
      rationale: 'A Service whose selector matches no pod has no endpoints: clients get connection refused or time out, and nothing in `kubectl apply` warns about it. The usual causes are a typo or a renamed label on one side, or a Service and its workload in different namespaces. Services without a selector (ExternalName, manually managed Endpoints) are not checked. When the workspace holds no workload at all the rule stays quiet, because the pods may be deployed from elsewhere; the option `requireDefined: true` checks anyway. When exactly one workload of the namespace is closest and differs only in label values, the fix changes the selector\'s values to that workload\'s labels.',
      url: docsUrl('service-selects-pods'),
    },
    messages: {
      pass: 'Service "{{name}}" selects the pods of a workload.',
      noMatch: 'No {{kinds}} in namespace "{{namespace}}" has labels {{selector}}{{hint}}.',
    },
    aliases: { kubeLinter: 'dangling-service', kubeScore: 'service-targets-pod' },
    options: { type: 'object', properties: { requireDefined: REQUIRE_DEFINED_OPTION }, additionalProperties: false },
    defaultOptions: { requireDefined: false },
    fixable: true,
    crossResource: true,
    checklist: 'networking',
  },
  check(ctx) {
    const spec = ctx.value.spec;
    const selector = isApi(ctx.resource, 'v1') && isJsonObject(spec) && spec.type !== 'ExternalName' ? parseSelector(spec.selector, true) : undefined;
    const owners = podOwners(ctx.workspace);
    // No selector (ExternalName, manual Endpoints), or no workload in the workspace to compare with.
    if (!selector || isEmptySelector(selector) || (owners.length === 0 && !ctx.options.requireDefined)) {
      ctx.notApplicable();
      return;
    }
    const namespace = ctx.resource.namespace;
    const near = owners.filter((o) => o.namespace === namespace);
    if (near.some((o) => matches(selector, o.labels))) return;
    const elsewhere = owners.filter((o) => o.namespace !== namespace);
    const data: Record<string, string> = {
      kinds: kindsText(managedWorkloadKinds(owners)), namespace, selector: describeSelector(selector), hint: hint(ctx.workspace, selector, near, elsewhere),
    };
    // Label sync: one closest workload that has every selector key, with other values (and no exact match elsewhere).
    let fix: FixSpec | undefined;
    const best = closest(selector, near);
    const only = best.length === 1 ? best[0] : undefined;
    if (only && !elsewhere.some((o) => matches(selector, o.labels))) {
      const keys = Object.keys(selector.matchLabels);
      if (keys.every((k) => Object.hasOwn(only.labels, k))) {
        Object.assign(data, { targetKind: only.kind, targetName: only.name, targetLabels: labelsFor(selector, only.labels) });
        fix = {
          title: 'Select the pods of {{targetKind}} "{{targetName}}" ({{targetLabels}})',
          patch: keys.filter((k) => only.labels[k] !== selector.matchLabels[k])
            .map((k) => ({ op: 'replace' as const, path: joinPointer('/spec/selector', k), value: only.labels[k] as string })),
        };
      }
    }
    ctx.report({ messageId: 'noMatch', data, at: '/spec/selector', anchor: 'key', ...(fix ? { fix } : {}) });
  },
});
