import { docsUrl } from '../registry/docs';
import { hpaMaxReplicas, hpaMinReplicas, isHpa } from './utils/references';
import { defineRule } from '../rule';

/** An HPA has room to scale: maxReplicas above minReplicas. */
export default defineRule({
  meta: {
    id: 'hpa-max-gt-min',
    category: 'reliability',
    defaultSeverity: 'warning',
    target: { kinds: ['HorizontalPodAutoscaler'], scope: 'object' },
    docs: {
      summary: 'A HorizontalPodAutoscaler\'s `maxReplicas` is greater than its `minReplicas`.',
      rationale: 'With `maxReplicas` equal to `minReplicas` (1 when unset) the autoscaler cannot add a single pod under load: it pins the replica count '
        + 'and only adds a moving part. With `maxReplicas` below `minReplicas` the API server rejects the object. '
        + 'There is no automatic fix: the ceiling is a capacity decision.',
      url: docsUrl('hpa-max-gt-min'),
    },
    messages: {
      pass: 'The autoscaler has room to add pods under load.',
      equal: 'HorizontalPodAutoscaler "{{name}}" has maxReplicas equal to minReplicas ({{max}}), so it can never scale.',
      below: 'HorizontalPodAutoscaler "{{name}}" has maxReplicas {{max}} below minReplicas {{min}}; the API server rejects it.',
    },
    aliases: { polaris: 'hpaMaxAvailability' },
    checklist: 'scaling',
  },
  check(ctx) {
    if (!isHpa(ctx.resource)) return;
    const max = hpaMaxReplicas(ctx.value);
    const min = hpaMinReplicas(ctx.value);
    if (max === undefined || min === undefined || max > min) return;
    const name = ctx.resource.name ?? '';
    if (max === min) ctx.report({ messageId: 'equal', data: { name, max }, at: '/spec/maxReplicas' });
    else ctx.report({ messageId: 'below', data: { name, max, min }, at: '/spec/maxReplicas' });
  },
});
