import { docsUrl } from '../registry/docs';
import { describeSelector, matches, parseSelector } from '../k8s/selectors';
import { isJsonObject } from '../types';
import { defineRule } from '../rule';
import { prose } from './utils/text';
import { REQUIRE_DEFINED_OPTION } from './utils/options';
import { hint, labelsOf } from './utils/network';
import { inFileOrder, services } from './utils/references';

/**
 * kube-linter dangling-servicemonitor: a Prometheus Operator ServiceMonitor's `selector` matches the labels of a
 * Service in the namespaces its `namespaceSelector` names (`any: true`, `matchNames`, or by default its own).
 * Quiet when the workspace holds no Service (unless `requireDefined`).
 */
export default defineRule<{ requireDefined: boolean }>({
  meta: {
    id: 'servicemonitor-selects-service',
    category: 'networking',
    defaultSeverity: 'warning',
    target: { kinds: ['monitoring.coreos.com/ServiceMonitor'], scope: 'object' },
    docs: {
      summary: 'A Prometheus Operator ServiceMonitor selects at least one Service.',
      rationale: 'A ServiceMonitor whose selector matches no Service makes Prometheus scrape nothing, and the missing metrics usually go unnoticed until an alert that should have fired stays silent. The selector is matched against Service labels (not pod labels) in the namespaces of `namespaceSelector`: every namespace with `any: true`, the listed ones with `matchNames`, and otherwise the ServiceMonitor\'s own namespace. When the workspace holds no Service at all the rule stays quiet, because the Services may be deployed from elsewhere; the option `requireDefined: true` checks anyway.',
      url: docsUrl('servicemonitor-selects-service'),
    },
    messages: {
      pass: 'ServiceMonitor "{{name}}" selects a Service.',
      noService: 'No Service {{scope}} has labels {{selector}}{{hint}}, so Prometheus scrapes nothing for this ServiceMonitor.',
    },
    aliases: { kubeLinter: 'dangling-servicemonitor' },
    options: { type: 'object', properties: { requireDefined: REQUIRE_DEFINED_OPTION }, additionalProperties: false },
    defaultOptions: { requireDefined: false },
    crossResource: true,
    checklist: 'networking',
  },
  check(ctx) {
    const spec = isJsonObject(ctx.value.spec) ? ctx.value.spec : {};
    const selector = parseSelector(spec.selector);
    const all = services(ctx.workspace);
    if (!selector || (all.length === 0 && !ctx.options.requireDefined)) {
      ctx.notApplicable();
      return;
    }
    const namespaceSelector = isJsonObject(spec.namespaceSelector) ? spec.namespaceSelector : {};
    const names = Array.isArray(namespaceSelector.matchNames) ? namespaceSelector.matchNames.filter((n): n is string => typeof n === 'string') : [];
    const any = namespaceSelector.any === true;
    const namespaces = any ? undefined : names.length > 0 ? names : [ctx.resource.namespace];
    const candidates = inFileOrder(all.map((resource) => ({ resource, labels: labelsOf(resource), namespace: ctx.workspace.namespaceOf(resource) })));
    const inScope = (c: { namespace: string }) => namespaces === undefined || namespaces.includes(c.namespace);
    const near = candidates.filter(inScope);
    if (near.some((c) => matches(selector, c.labels))) return;
    const scope = namespaces === undefined ? 'in any namespace'
      : namespaces.length === 1 ? `in namespace "${namespaces[0] as string}"` : `in namespaces ${prose(namespaces.map((n) => `"${n}"`), 'or')}`;
    ctx.report({
      messageId: 'noService', data: { scope, selector: describeSelector(selector), hint: hint(ctx.workspace, selector, near, candidates.filter((c) => !inScope(c))) },
      at: '/spec/selector', anchor: 'key',
    });
  },
});
