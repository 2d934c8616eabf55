import { docsUrl } from '../registry/docs';
import { isJsonObject } from '../types';
import { defineRule } from '../rule';
import { prose } from './utils/text';
import { isApi } from './utils/references';

const TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

/** A Service's type is not one of `forbiddenTypes` (default NodePort, like kube-score; kube-linter also lists LoadBalancer). */
export default defineRule<{ forbiddenTypes: string[] }>({
  meta: {
    id: 'service-type-allowed',
    category: 'networking',
    defaultSeverity: 'warning',
    target: { kinds: ['Service'], scope: 'object' },
    docs: {
      summary: 'Services do not use a forbidden type (by default NodePort).',
      rationale: 'A NodePort Service opens the same port on every node of the cluster, bypassing the load balancer, the ingress controller and whatever TLS and authentication they enforce, and it exposes node addresses. A LoadBalancer Service creates a cloud load balancer, often reachable from the internet. The option `forbiddenTypes` (default `["NodePort"]`) lists the types your platform does not allow, for instance `["NodePort", "LoadBalancer"]` when all traffic must enter through the ingress controller. A Service without `type` is a ClusterIP Service. There is no fix: changing the type changes how clients reach the Service.',
      url: docsUrl('service-type-allowed'),
    },
    messages: {
      pass: 'Service "{{name}}" has an allowed type.',
      forbidden: 'Service "{{name}}" has type {{type}}, which is not allowed (forbidden types: {{forbidden}}).',
    },
    aliases: { kubeScore: 'service-type', kubeLinter: 'exposed-services' },
    options: {
      type: 'object',
      properties: {
        forbiddenTypes: { type: 'array', items: { type: 'string', enum: TYPES }, uniqueItems: true, description: 'Service types that are not allowed.' },
      },
      additionalProperties: false,
    },
    defaultOptions: { forbiddenTypes: ['NodePort'] },
    checklist: 'networking',
  },
  check(ctx) {
    if (!isApi(ctx.resource, 'v1')) {
      ctx.notApplicable();
      return;
    }
    const spec = isJsonObject(ctx.value.spec) ? ctx.value.spec : {};
    const type = typeof spec.type === 'string' ? spec.type : 'ClusterIP';
    if (!ctx.options.forbiddenTypes.includes(type)) return;
    ctx.report({
      messageId: 'forbidden', data: { name: ctx.resource.name ?? '', type, forbidden: prose(ctx.options.forbiddenTypes, 'and') },
      at: '/spec/type', ...(spec.type === undefined ? {} : { anchor: 'value' as const }),
    });
  },
});
