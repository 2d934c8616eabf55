import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';

/**
 * A StatefulSet with `updateStrategy: OnDelete` never rolls out by itself: a deliberate choice for some databases,
 * so it is information, not a warning. A `partition` stages a RollingUpdate and passes.
 */
export default defineRule({
  meta: {
    id: 'statefulset-ondelete',
    category: 'rollout',
    defaultSeverity: 'info',
    target: { kinds: ['StatefulSet'], scope: 'object' },
    docs: {
      summary: 'StatefulSets say that `updateStrategy: OnDelete` means no automatic rollout.',
      rationale: 'With `OnDelete` the StatefulSet controller creates pods from the new template only when someone (or an operator) deletes the old ones: applying a new image changes nothing that runs, and `kubectl rollout status` waits forever. '
        + 'Some databases want exactly that, so this is information rather than a warning: make sure that whoever applies the change knows the pods must be deleted, one at a time. '
        + 'A phased rollout is better expressed with `RollingUpdate` and a `partition`: only pods with an ordinal at or above the partition are updated, and lowering it step by step rolls the change out. That passes.',
      url: docsUrl('statefulset-ondelete'),
    },
    messages: {
      pass: 'StatefulSet "{{name}}" rolls out with RollingUpdate (a partition stages it).',
      onDelete: 'StatefulSet "{{name}}" uses updateStrategy OnDelete: a new template reaches a pod only when the pod is deleted by hand.',
    },
    checklist: 'rollout & rollback',
  },
  check(ctx) {
    if (ctx.get('/spec/updateStrategy/type') !== 'OnDelete') return;
    ctx.report({ messageId: 'onDelete', data: { name: ctx.resource.name ?? '' }, at: '/spec/updateStrategy/type', anchor: 'value' });
  },
});
