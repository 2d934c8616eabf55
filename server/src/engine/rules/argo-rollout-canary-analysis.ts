import { docsUrl } from '../registry/docs';
import { asList, asObject } from './utils/json';
import { defineRule } from '../rule';

/**
 * An Argo Rollouts canary that neither pauses nor analyses shifts traffic step by step without ever stopping to
 * look: a bad version reaches 100 % as fast as a good one. A canary with no steps at all promotes at once.
 */
export default defineRule({
  meta: {
    id: 'argo-rollout-canary-analysis',
    category: 'rollout',
    defaultSeverity: 'warning',
    target: { kinds: ['argoproj.io/Rollout'], scope: 'object' },
    docs: {
      summary: 'An Argo Rollouts canary pauses or runs an analysis before it promotes.',
      rationale: 'A canary exists to stop a bad version while it serves a small share of the traffic. '
        + 'Argo Rollouts stops only where the strategy says so: a `pause` step (for a time, or until someone promotes), an `analysis` step or a background `analysis` that measures the canary and aborts the rollout when it fails, or an `experiment` step, which holds the rollout while it runs. '
        + 'A canary whose steps only set weights goes from 0 to 100 % as fast as its pods become ready, which is a rolling update with more moving parts, and a canary with no steps promotes at once. '
        + 'There is no quick fix: where to pause, and what to measure, needs a decision.',
      url: docsUrl('argo-rollout-canary-analysis'),
    },
    messages: {
      pass: 'Rollout "{{name}}" pauses or analyses its canary before promoting it.',
      noSteps: 'The canary of Rollout "{{name}}" has no steps: it rolls out like a plain rolling update, with no pause or analysis to stop a bad version.',
      ungated: 'The canary steps of Rollout "{{name}}" never pause or run an analysis: a bad version reaches 100 % as fast as a good one.',
    },
    checklist: 'rollout & rollback',
  },
  check(ctx) {
    const canary = asObject(ctx.get('/spec/strategy/canary'));
    if (!canary) {
      ctx.notApplicable();
      return;
    }
    if (asObject(canary.analysis) !== undefined) return;
    const steps = asList(canary.steps);
    const gated = steps.some((item) => {
      const step = asObject(item);
      // An experiment holds the rollout while it runs (baseline and canary side by side), with or without analyses.
      return step !== undefined && (step.pause !== undefined || step.analysis !== undefined || step.experiment !== undefined);
    });
    if (gated) return;
    const name = ctx.resource.name ?? '';
    if (steps.length === 0) ctx.report({ messageId: 'noSteps', data: { name }, at: '/spec/strategy/canary' });
    else ctx.report({ messageId: 'ungated', data: { name }, at: '/spec/strategy/canary/steps' });
  },
});
