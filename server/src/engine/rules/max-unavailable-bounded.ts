import { docsUrl } from '../registry/docs';
import { isInteger } from './utils/json';
import { intOrPercent } from './utils/references';
import { defineRule } from '../rule';

/** The API defaults of `maxUnavailable`, which the quick fix restores. */
const DEFAULT_MAX_UNAVAILABLE: Readonly<Record<string, number | string>> = { Deployment: '25%', DaemonSet: 1, StatefulSet: 1 };

/**
 * A rolling update that may take every pod down at once is no better than Recreate. Percentages of
 * `maxUnavailable` round down (deployment util ResolveFenceposts), so only 100 % means all the pods; a number
 * counts against `spec.replicas` where that is written (a DaemonSet's node count is unknown).
 */
export default defineRule({
  meta: {
    id: 'max-unavailable-bounded',
    category: 'rollout',
    defaultSeverity: 'warning',
    target: { kinds: ['Deployment', 'DaemonSet', 'StatefulSet'], scope: 'object' },
    docs: {
      summary: 'A rolling update keeps some pods running: `maxUnavailable` is below 100 % and below the replica count.',
      rationale: 'A rolling update replaces pods a few at a time, so that the old version keeps serving while the new one starts and a rollout that goes wrong stops with most pods still up. '
        + '`maxUnavailable: 100%`, or a number at least as large as `spec.replicas`, lets the controller stop every old pod at once: each rollout is an outage, as with Recreate, and a bad version takes everything down before any readiness probe can stop it. '
        + 'Percentages round down, so only 100 % means every pod; a number is compared with `spec.replicas` when it is written and at least 2 (a single pod cannot roll without going down unless `maxSurge` brings up its replacement first, which is a choice; a DaemonSet\'s node count is not in the manifest). '
        + 'Deployments (`strategy.rollingUpdate`), DaemonSets and StatefulSets (`updateStrategy.rollingUpdate`) are checked; Recreate and OnDelete are other rules\' concern. '
        + 'The quick fix restores the API default: 25 % for a Deployment, 1 for a DaemonSet or StatefulSet.',
      url: docsUrl('max-unavailable-bounded'),
    },
    messages: {
      pass: '{{kind}} "{{name}}" keeps pods running during a rolling update.',
      allPercent: 'maxUnavailable is {{value}}: a rolling update of {{kind}} "{{name}}" may stop every pod at once.',
      allReplicas: 'maxUnavailable is {{value}} for {{replicas}} replicas: a rolling update of {{kind}} "{{name}}" may stop every pod at once.',
    },
    fixable: true,
    checklist: 'rollout & rollback',
  },
  check(ctx) {
    const { kind } = ctx.resource;
    const deployment = kind === 'Deployment';
    const strategy = deployment ? '/spec/strategy' : '/spec/updateStrategy';
    const type = ctx.get(`${strategy}/type`);
    if (type !== undefined && type !== 'RollingUpdate') {
      ctx.notApplicable();
      return;
    }
    const at = `${strategy}/rollingUpdate/maxUnavailable`;
    const written = ctx.get(at);
    const budget = intOrPercent(written);
    if (!budget) return;
    const replicas = kind === 'DaemonSet' ? undefined : ctx.get('/spec/replicas');
    const data = { kind: kind ?? '', name: ctx.resource.name ?? '', value: String(written), replicas: isInteger(replicas) ? replicas : 0 };
    const fallback = DEFAULT_MAX_UNAVAILABLE[kind ?? ''] ?? 1;
    const fix = { title: `Set maxUnavailable to ${String(fallback)} (the default)`, patch: [{ op: 'replace' as const, path: at, value: fallback }] };
    if (budget.percent) {
      if (budget.value >= 100) ctx.report({ messageId: 'allPercent', data, at, fix });
      return;
    }
    if (isInteger(replicas) && replicas >= 2 && budget.value >= replicas) ctx.report({ messageId: 'allReplicas', data, at, fix });
  },
});
