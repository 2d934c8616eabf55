import { docsUrl } from '../registry/docs';
import { joinPointer } from '../util/pointer';
import { defineRule } from '../rule';

const INSTANCE = 'app.kubernetes.io/instance';

/** Polaris metadataAndInstanceMismatched: the recommended instance label names the object. */
export default defineRule<{ required: boolean }>({
  meta: {
    id: 'instance-label-matches-name',
    category: 'metadata',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'object' },
    docs: {
      summary: 'A workload\'s `app.kubernetes.io/instance` label, when set, equals its `metadata.name`.',
      rationale: 'The recommended label `app.kubernetes.io/instance` identifies one instance of an application; dashboards, cost reports and `kubectl get -l` queries rely on it, and a copied manifest that kept another instance\'s value mixes two workloads up. This follows Polaris, which expects the label to be the workload\'s name. It is contested: Helm charts set it to the release name, which the workloads of a release share, so the rule is not in the recommended preset. A workload without the label passes. The fix sets the label to the name.',
      url: docsUrl('instance-label-matches-name'),
    },
    messages: {
      pass: 'The app.kubernetes.io/instance label of {{kind}} "{{name}}" matches its name.',
      mismatch: 'Label app.kubernetes.io/instance is "{{value}}" but the {{kind}} is named "{{name}}".',
      missing: '{{kind}} "{{name}}" has no app.kubernetes.io/instance label.',
    },
    aliases: { polaris: 'metadataAndInstanceMismatched' },
    options: {
      type: 'object', additionalProperties: false,
      properties: { required: { type: 'boolean', description: 'Also report a workload without the label (Polaris requires it).' } },
    },
    defaultOptions: { required: false },
    fixable: true,
    checklist: false,
  },
  check(ctx) {
    const name = ctx.resource.name;
    const at = joinPointer('/metadata/labels', INSTANCE);
    const value = ctx.get(at);
    if (name !== undefined && value === undefined && ctx.options.required) {
      ctx.report({
        messageId: 'missing', data: { kind: ctx.resource.kind, name }, at,
        fix: { title: `Add label ${INSTANCE}: "${name}"`, patch: [{ op: 'add', path: at, value: name }] },
      });
      return;
    }
    if (name === undefined || value === undefined) {
      ctx.notApplicable();
      return;
    }
    if (value === name) return;
    ctx.report({
      messageId: 'mismatch', data: { value: String(value), kind: ctx.resource.kind, name }, at, anchor: 'value',
      fix: { title: `Set ${INSTANCE} to "${name}"`, patch: [{ op: 'replace', path: at, value: name }] },
    });
  },
});
