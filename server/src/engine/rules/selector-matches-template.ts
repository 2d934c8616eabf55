import { docsUrl } from '../registry/docs';
import { joinPointer } from '../util/pointer';
import { describeSelector, isEmptySelector, matches, parseSelector } from '../k8s/selectors';
import type { PatchOp } from '../types';
import { asObject } from './utils/json';
import { describeLabels } from './utils/network';
import { defineRule } from '../rule';

/**
 * kube-linter `mismatching-selector`, kube-score `deployment-` / `statefulset-pod-selector-labels-match-template-
 * metadata-labels`: the controller's selector selects its own pod template. A ReplicationController's selector is
 * a plain map (defaulted from the template labels when absent); a Job is checked only when it sets a selector
 * (with `manualSelector: true`).
 */
export default defineRule({
  meta: {
    id: 'selector-matches-template',
    category: 'reliability',
    defaultSeverity: 'error',
    target: { kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job'], scope: 'object' },
    docs: {
      summary: 'A workload\'s `spec.selector` selects the labels of its own pod template.',
      rationale: 'A controller finds its pods by its selector. When the pod template\'s labels do not match it, the API server rejects the workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job) or the controller keeps creating pods it never sees, so the mistake shows up only at apply time, often in CI or production. The quick fix adds the selector\'s missing matchLabels to the template labels; it is not offered when a template label has a different value (which of the two is right is your call) or when a matchExpression still fails.',
      url: docsUrl('selector-matches-template'),
    },
    messages: {
      pass: 'The selector of {{kind}} "{{name}}" selects its pod template.',
      mismatch: 'The selector ({{selector}}) does not select the pod template\'s labels ({{labels}}).',
      empty: 'The selector is empty: the API server rejects an empty selector for a {{kind}}.',
    },
    aliases: {
      kubeLinter: 'mismatching-selector',
      kubeScore: ['deployment-pod-selector-labels-match-template-metadata-labels', 'statefulset-pod-selector-labels-match-template-metadata-labels'],
    },
    fixable: true,
    checklist: 'availability',
  },
  check(ctx) {
    const { kind } = ctx.resource;
    const spec = asObject(ctx.value.spec);
    const raw = spec?.selector;
    if (raw === undefined) return;
    const selector = parseSelector(raw, kind === 'ReplicationController');
    if (!selector) return;
    if (isEmptySelector(selector)) {
      if (kind !== 'ReplicationController') ctx.report({ messageId: 'empty', data: { kind }, at: '/spec/selector' });
      return;
    }
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(asObject(asObject(asObject(spec?.template)?.metadata)?.labels) ?? {})) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') labels[k] = String(v);
    }
    if (matches(selector, labels)) return;
    const missing = Object.entries(selector.matchLabels).filter(([k]) => !Object.hasOwn(labels, k));
    const conflicting = Object.entries(selector.matchLabels).some(([k, v]) => Object.hasOwn(labels, k) && labels[k] !== v);
    const fixable = !conflicting && missing.length > 0 && matches(selector, { ...labels, ...Object.fromEntries(missing) });
    const fix = fixable ? {
      title: `Add ${describeLabels(Object.fromEntries(missing))} to the pod template labels`,
      patch: missing.map(([k, v]): PatchOp => ({ op: 'add', path: joinPointer('/spec/template/metadata/labels', k), value: v })),
    } : undefined;
    ctx.report({
      messageId: 'mismatch', data: { selector: describeSelector(selector), labels: describeLabels(labels) }, at: '/spec/selector',
      ...(fix ? { fix } : {}),
    });
  },
});
