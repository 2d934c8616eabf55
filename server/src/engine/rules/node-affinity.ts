import { docsUrl } from '../registry/docs';
import { asList, asObject } from './utils/json';
import { defineRule } from '../rule';

/**
 * kube-linter `no-node-affinity` (opt-in there too): the pod says which nodes it belongs on. kube-linter accepts
 * only `affinity.nodeAffinity`; kgov also accepts a `nodeSelector` (the simple form of a required node
 * affinity) and a fixed `nodeName`.
 */
export default defineRule({
  meta: {
    id: 'node-affinity',
    category: 'reliability',
    defaultSeverity: 'info',
    target: { kinds: 'workloads', scope: 'podSpec' },
    docs: {
      summary: 'Pods say which nodes they may run on (`nodeAffinity` or `nodeSelector`).',
      rationale: 'In clusters with several node pools (architectures, GPU, spot and on-demand capacity, dedicated tenants) a pod without node affinity may be scheduled on any node the scheduler finds, including ones it cannot run well or at all on. This is a policy for such clusters, off in every preset; there is no fix because only you know which nodes are right.',
      url: docsUrl('node-affinity'),
    },
    messages: {
      pass: 'The pod constrains the nodes it runs on.',
      missing: 'The pod sets no nodeAffinity or nodeSelector: it may be scheduled on any node.',
      empty: 'nodeAffinity has no required or preferred term: it constrains nothing.',
    },
    aliases: { kubeLinter: 'no-node-affinity' },
    checklist: 'availability',
  },
  check(ctx) {
    if (typeof ctx.value.nodeName === 'string' && ctx.value.nodeName !== '') return;
    if (Object.keys(asObject(ctx.value.nodeSelector) ?? {}).length > 0) return;
    const nodeAffinity = asObject(asObject(ctx.value.affinity)?.nodeAffinity);
    if (!nodeAffinity) {
      ctx.report({ messageId: 'missing', at: '/affinity/nodeAffinity' });
      return;
    }
    const required = asList(asObject(nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution)?.nodeSelectorTerms);
    const preferred = asList(nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution);
    if (required.length === 0 && preferred.length === 0) ctx.report({ messageId: 'empty', at: '/affinity/nodeAffinity' });
  },
});
