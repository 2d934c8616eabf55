import { docsUrl } from '../registry/docs';
import { asList, asObject } from './utils/json';
import { defineRule } from '../rule';

/**
 * kube-linter `no-rolling-update-strategy` (Deployment `strategy` and DaemonSet `updateStrategy`; kube-linter
 * also flags an unset type, which defaults to RollingUpdate, so kgov does not), kube-score `deployment-strategy`.
 * StatefulSets are not checked: `OnDelete` is a deliberate choice for databases.
 */
export default defineRule({
  meta: {
    id: 'rolling-update-strategy',
    category: 'reliability',
    defaultSeverity: 'warning',
    target: { kinds: ['Deployment', 'DaemonSet'], scope: 'object' },
    docs: {
      summary: 'Deployments and DaemonSets update their pods with the `RollingUpdate` strategy.',
      rationale: 'With `Recreate` a Deployment stops every old pod before starting a new one, so each rollout is an outage; with `OnDelete` a DaemonSet never updates a pod until someone deletes it, so a change silently waits. RollingUpdate (the default) replaces pods a few at a time and stops when new pods do not become ready. The quick fix switches the type, except when the pods mount a PersistentVolumeClaim: a ReadWriteOnce volume is often why Recreate was chosen, and a rolling update would then wait forever for the volume.',
      url: docsUrl('rolling-update-strategy'),
    },
    messages: {
      pass: '{{kind}} "{{name}}" updates its pods with RollingUpdate.',
      recreate: 'The Deployment uses the Recreate strategy: every rollout stops all pods before starting new ones.',
      onDelete: 'The DaemonSet uses the OnDelete strategy: pods are only updated when someone deletes them.',
    },
    aliases: { kubeLinter: 'no-rolling-update-strategy', kubeScore: 'deployment-strategy' },
    fixable: true,
    checklist: 'availability',
  },
  check(ctx) {
    const deployment = ctx.resource.kind === 'Deployment';
    const at = deployment ? '/spec/strategy/type' : '/spec/updateStrategy/type';
    const type = ctx.get(at);
    if (type !== (deployment ? 'Recreate' : 'OnDelete')) return;
    const volumes = asList(ctx.get('/spec/template/spec/volumes'));
    const usesClaim = volumes.some((v) => asObject(v)?.persistentVolumeClaim !== undefined);
    ctx.report({
      messageId: deployment ? 'recreate' : 'onDelete', at, anchor: 'value',
      ...(usesClaim ? {} : { fix: { title: 'Use the RollingUpdate strategy', patch: [{ op: 'replace', path: at, value: 'RollingUpdate' }] } }),
    });
  },
});
