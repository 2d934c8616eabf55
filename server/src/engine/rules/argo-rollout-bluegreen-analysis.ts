import { docsUrl } from '../registry/docs';
import { asObject } from './utils/json';
import { defineRule } from '../rule';

/**
 * An Argo Rollouts blue-green strategy that promotes the preview automatically (the default) with no pre-promotion
 * analysis switches all traffic as soon as the new pods are ready: nothing has looked at them.
 */
export default defineRule({
  meta: {
    id: 'argo-rollout-bluegreen-analysis',
    category: 'rollout',
    defaultSeverity: 'warning',
    target: { kinds: ['argoproj.io/Rollout'], scope: 'object' },
    docs: {
      summary: 'An Argo Rollouts blue-green strategy that promotes automatically runs a pre-promotion analysis first.',
      rationale: 'Blue-green keeps the old version serving while the new one starts behind the preview Service, so that the new one can be checked before the switch. '
        + 'With `autoPromotionEnabled` (the default) and no `prePromotionAnalysis`, Argo Rollouts switches the active Service as soon as the new pods are ready, and nothing has checked them: '
        + 'the strategy then protects no better than a readiness probe. '
        + 'Add a `prePromotionAnalysis` (it aborts the rollout when it fails), or set `autoPromotionEnabled: false` to promote by hand after checking the preview. '
        + 'A timed `autoPromotionSeconds` alone is still automatic. There is no quick fix: the choice between the two needs a decision. This is a strict-preset rule.',
      url: docsUrl('argo-rollout-bluegreen-analysis'),
    },
    messages: {
      pass: 'Rollout "{{name}}" checks the preview before promoting it.',
      autoPromotion: 'The blue-green strategy of Rollout "{{name}}" promotes automatically with no prePromotionAnalysis: all traffic switches to pods nothing has checked.',
    },
    checklist: 'rollout & rollback',
  },
  check(ctx) {
    const blueGreen = asObject(ctx.get('/spec/strategy/blueGreen'));
    if (!blueGreen) {
      ctx.notApplicable();
      return;
    }
    if (blueGreen.autoPromotionEnabled === false || blueGreen.prePromotionAnalysis !== undefined) return;
    ctx.report({
      messageId: 'autoPromotion', data: { name: ctx.resource.name ?? '' },
      at: blueGreen.autoPromotionEnabled === undefined ? '/spec/strategy/blueGreen' : '/spec/strategy/blueGreen/autoPromotionEnabled',
    });
  },
});
