import { docsUrl } from '../registry/docs';
import { asList, asObject } from './utils/json';
import { defineRule } from '../rule';

/**
 * A Flagger Canary measures the canary with the metrics of `spec.analysis.metrics` at each step and rolls back when
 * they cross their thresholds. Without metrics it shifts traffic on pod health alone: a version that answers
 * every request with an error is promoted.
 */
export default defineRule({
  meta: {
    id: 'flagger-canary-metrics',
    category: 'rollout',
    defaultSeverity: 'warning',
    target: { kinds: ['flagger.app/Canary'], scope: 'object' },
    docs: {
      summary: 'A Flagger Canary checks metrics (`spec.analysis.metrics`) before it shifts more traffic.',
      rationale: 'Flagger runs the canary analysis at every `interval`: it checks the metrics listed in `spec.analysis.metrics` (the built-in `request-success-rate` and `request-duration`, or MetricTemplates) against their thresholds, and rolls the canary back after `threshold` failed checks. '
        + 'With no metrics the analysis only checks that the canary\'s pods are ready, so a version that answers every request with an error, or ten times slower, is promoted step by step. '
        + 'Webhooks do not replace metrics: the usual one generates load and always succeeds. '
        + 'There is no quick fix: which metrics and thresholds fit depends on the service and the mesh or ingress that measures it.',
      url: docsUrl('flagger-canary-metrics'),
    },
    messages: {
      pass: 'Canary "{{name}}" checks metrics before shifting more traffic.',
      noMetrics: 'Canary "{{name}}" lists no analysis metrics: Flagger promotes it on pod health alone, whatever its error rate or latency.',
    },
    checklist: 'rollout & rollback',
  },
  check(ctx) {
    // `canaryAnalysis` is the field's name before Flagger 1.0, still accepted.
    const field = ctx.get('/spec/analysis') === undefined && ctx.get('/spec/canaryAnalysis') !== undefined ? '/spec/canaryAnalysis' : '/spec/analysis';
    const analysis = asObject(ctx.get(field));
    if (analysis && asList(analysis.metrics).length > 0) return;
    ctx.report({ messageId: 'noMetrics', data: { name: ctx.resource.name ?? '' }, at: analysis?.metrics !== undefined ? `${field}/metrics` : field });
  },
});
