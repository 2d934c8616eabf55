import { docsUrl } from '../registry/docs';
import { isPdb } from './utils/references';
import { defineRule } from '../rule';

/** A PodDisruptionBudget says how much disruption it allows: minAvailable or maxUnavailable. */
export default defineRule({
  meta: {
    id: 'pdb-has-policy',
    category: 'reliability',
    defaultSeverity: 'warning',
    target: { kinds: ['PodDisruptionBudget'], scope: 'object' },
    docs: {
      summary: 'A PodDisruptionBudget sets `minAvailable` or `maxUnavailable`.',
      rationale: 'policy/v1 neither rejects nor defaults a budget without `minAvailable` and `maxUnavailable`, and the disruption controller then expects no pods '
        + 'and allows no disruption: the budget silently blocks every voluntary eviction of the pods it selects, so node drains and cluster upgrades stall. '
        + '(policy/v1beta1 defaulted `minAvailable: 1`; the behaviour changed with the move to policy/v1.) '
        + 'The fix adds `maxUnavailable: 1`, which lets one pod go at a time whatever the replica count; use `minAvailable` instead when the application needs a quorum.',
      url: docsUrl('pdb-has-policy'),
    },
    messages: {
      pass: 'The disruption budget states how many pods may be unavailable.',
      missing: 'PodDisruptionBudget "{{name}}" sets neither minAvailable nor maxUnavailable, so it allows no voluntary eviction of the pods it selects.',
    },
    aliases: { kubeScore: 'poddisruptionbudget-has-policy' },
    fixable: true,
    checklist: 'availability',
  },
  check(ctx) {
    if (!isPdb(ctx.resource)) return;
    if (ctx.get('/spec/minAvailable') !== undefined || ctx.get('/spec/maxUnavailable') !== undefined) return;
    ctx.report({
      messageId: 'missing', data: { name: ctx.resource.name ?? '' }, at: '/spec/maxUnavailable',
      fix: {
        title: 'Set maxUnavailable: 1',
        patch: [{ op: 'add', path: '/spec/maxUnavailable', value: 1, comment: 'kgov: evict at most one pod at a time; use minAvailable for a quorum' }],
      },
    });
  },
});
