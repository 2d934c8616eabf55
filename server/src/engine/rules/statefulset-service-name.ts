import { docsUrl } from '../registry/docs';
import { groupOf } from '../k8s/kinds';
import { valueAt } from '../util/pointer';
import { describeSelector, matches, parseSelector } from '../k8s/selectors';
import type { JsonValue } from '../types';
import { describe } from './utils/text';
import { requireDefinedOption } from './utils/options';
import { podLabelsOf } from './utils/workload';
import { nameHint } from './utils/references';
import { defineRule } from '../rule';

interface Options {
  requireDefined: boolean;
}

/**
 * A StatefulSet names its governing Service (`serviceName`), and that Service, in the same namespace, is headless and
 * selects the StatefulSet's pods, so that each pod gets its stable DNS name.
 */
export default defineRule<Options>({
  meta: {
    id: 'statefulset-service-name',
    category: 'reliability',
    defaultSeverity: 'warning',
    target: { kinds: ['StatefulSet'], scope: 'object' },
    docs: {
      summary: 'A StatefulSet\'s `serviceName` names a headless Service of its namespace that selects its pods.',
      rationale: 'The governing Service gives each pod of a StatefulSet its stable network identity (`<pod>.<serviceName>.<namespace>.svc`), which is what members of a database or queue cluster use to find each other. '
        + 'Without `serviceName`, with a Service that does not exist, that is not headless (`clusterIP: None`) or that does not select the pods, those DNS names do not resolve and peers cannot join. '
        + 'Noise control: the Service lookup only happens when the workspace holds at least one Service, so a repository whose Services are deployed from elsewhere gets no findings about them; '
        + 'set `requireDefined: true` to require the Service to be in the workspace. A missing `serviceName` is always reported. '
        + 'There is no automatic fix: `clusterIP` of an existing Service cannot be changed in place, and the name of a new Service is a choice.',
      url: docsUrl('statefulset-service-name'),
    },
    messages: {
      pass: 'Its pods get stable DNS names from a headless governing Service.',
      missing: 'StatefulSet "{{name}}" sets no serviceName, so its pods get no stable DNS names; name a headless Service that selects them.',
      notFound: 'No Service named "{{service}}" in namespace "{{namespace}}"{{hint}}; the pods of StatefulSet "{{name}}" get no stable DNS names.',
      notHeadless: '{{serviceRef}} ({{where}}) is not headless (clusterIP: {{clusterIP}}), so the pods of StatefulSet "{{name}}" get no stable DNS names; a governing Service sets clusterIP: None.',
      notSelecting: '{{serviceRef}} ({{where}}) selects {{selector}}, which does not match the pods of StatefulSet "{{name}}" ({{labels}}), so they get no DNS records.',
    },
    aliases: { kubeScore: 'statefulset-has-servicename' },
    options: {
      type: 'object',
      properties: {
        requireDefined: requireDefinedOption('Report a Service missing from the workspace even when it holds no Service at all.'),
      },
      additionalProperties: false,
    },
    defaultOptions: { requireDefined: false },
    crossResource: true,
    checklist: 'networking',
  },
  check(ctx) {
    if (groupOf(ctx.resource.apiVersion) !== 'apps') return;
    const name = ctx.resource.name ?? '';
    const serviceName = ctx.get('/spec/serviceName');
    if (typeof serviceName !== 'string' || serviceName === '') {
      ctx.report({ messageId: 'missing', data: { name }, at: '/spec/serviceName' });
      return;
    }
    if (!ctx.options.requireDefined && !ctx.workspace.manages('Service')) return;
    const { namespace } = ctx.resource;
    const service = ctx.workspace.find('Service', namespace, serviceName);
    if (!service || service.apiVersion !== 'v1') {
      ctx.report({
        messageId: 'notFound', at: '/spec/serviceName',
        data: { service: serviceName, namespace, name, hint: nameHint(ctx.workspace, 'Service', namespace, serviceName) },
      });
      return;
    }
    const serviceRef = describe(service);
    const where = ctx.workspace.where(service);
    const clusterIP = valueAt(service.value, '/spec/clusterIP');
    if (clusterIP !== 'None') {
      ctx.report({
        messageId: 'notHeadless', at: '/spec/serviceName',
        data: { serviceRef, where, name, clusterIP: typeof clusterIP === 'string' ? clusterIP : 'not set, so one is allocated' },
      });
      return;
    }
    const selector = parseSelector(valueAt(service.value, '/spec/selector') as JsonValue | undefined, true);
    const labels = podLabelsOf({ kind: 'StatefulSet', value: ctx.value });
    // A Service without a selector has its endpoints managed by hand: nothing to compare.
    if (!selector || Object.keys(selector.matchLabels).length === 0 || !labels || matches(selector, labels)) return;
    ctx.report({
      messageId: 'notSelecting', at: '/spec/serviceName',
      data: { serviceRef, where, name, selector: describeSelector(selector), labels: Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',') || 'no labels' },
    });
  },
});
