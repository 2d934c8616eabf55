import { docsUrl } from '../registry/docs';
import { isInteger } from './utils/json';
import { defineRule } from '../rule';

/** The API server's default `revisionHistoryLimit` (Deployments, StatefulSets and DaemonSets alike). */
const DEFAULT_LIMIT = 10;

/**
 * Rollback needs the previous revision: a Deployment keeps old ReplicaSets, a StatefulSet or DaemonSet old
 * ControllerRevisions, up to `revisionHistoryLimit`. 0 deletes them as soon as a rollout completes.
 */
export default defineRule<{ minimum: number }>({
  meta: {
    id: 'revision-history-limit',
    category: 'rollout',
    defaultSeverity: 'warning',
    target: { kinds: ['Deployment', 'StatefulSet', 'DaemonSet'], scope: 'object' },
    docs: {
      summary: 'Deployments, StatefulSets and DaemonSets keep old revisions (`revisionHistoryLimit` is not 0), so that a rollout can be rolled back.',
      rationale: '`kubectl rollout undo` and every GitOps rollback restore a previous revision: the old ReplicaSet of a Deployment, the old ControllerRevision of a StatefulSet or DaemonSet. '
        + 'With `revisionHistoryLimit: 0` the controller deletes them as soon as a rollout completes, so there is nothing to go back to, and `kubectl rollout history` is empty. '
        + 'Unset, the limit is 10, which is fine. The `minimum` option (default 1) raises the bar: a limit below it is reported, and so is an unset one when the minimum is above 10. '
        + 'The quick fix sets the limit back to the default of 10 (or to the minimum, when that is higher).',
      url: docsUrl('revision-history-limit'),
    },
    messages: {
      pass: '{{kind}} "{{name}}" keeps old revisions to roll back to.',
      zero: 'revisionHistoryLimit is 0: {{kind}} "{{name}}" deletes its old revisions after each rollout, so it cannot be rolled back.',
      belowMinimum: 'revisionHistoryLimit is {{limit}}, below the minimum of {{minimum}} old revisions to roll back to.',
      defaultBelowMinimum: '{{kind}} "{{name}}" keeps the default of 10 old revisions, below the minimum of {{minimum}}.',
    },
    options: {
      type: 'object', additionalProperties: false,
      properties: { minimum: { type: 'integer', minimum: 1, description: 'The fewest old revisions a workload must keep.' } },
    },
    defaultOptions: { minimum: 1 },
    fixable: true,
    checklist: 'rollout & rollback',
  },
  check(ctx) {
    const minimum = Math.max(1, ctx.options.minimum ?? 1);
    const wanted = Math.max(DEFAULT_LIMIT, minimum);
    const data = { kind: ctx.resource.kind, name: ctx.resource.name ?? '', minimum, limit: 0 };
    const at = '/spec/revisionHistoryLimit';
    const limit = ctx.get(at);
    if (limit === undefined || limit === null) {
      if (DEFAULT_LIMIT >= minimum) return;
      ctx.report({ messageId: 'defaultBelowMinimum', data, at, fix: { title: `Set revisionHistoryLimit: ${minimum}`, patch: [{ op: 'add', path: at, value: minimum }] } });
      return;
    }
    // A template placeholder or a value the API server rejects (schema reports it): not known.
    if (!isInteger(limit) || limit >= minimum) return;
    ctx.report({
      messageId: limit === 0 ? 'zero' : 'belowMinimum', data: { ...data, limit }, at,
      fix: { title: `Set revisionHistoryLimit: ${wanted}`, patch: [{ op: 'replace', path: at, value: wanted }] },
    });
  },
});
