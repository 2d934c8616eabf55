import { docsUrl } from '../registry/docs';
import { asList, asObject } from './utils/json';
import { defineRule } from '../rule';

/**
 * kube-linter `job-ttl-seconds-after-finished`: a standalone Job sets `ttlSecondsAfterFinished`; a CronJob's
 * jobTemplate does not (its history limits already clean up, and the stricter of the two wins). Jobs owned by a
 * CronJob (ownerReferences) are not standalone.
 */
export default defineRule<{ seconds: number }>({
  meta: {
    id: 'job-ttl-after-finished',
    category: 'reliability',
    defaultSeverity: 'warning',
    target: { kinds: ['Job', 'CronJob'], scope: 'object' },
    docs: {
      summary: 'Standalone Jobs set `ttlSecondsAfterFinished`; CronJob job templates leave it to the history limits.',
      rationale: 'A finished Job and its pods stay in the cluster until someone deletes them: they clutter `kubectl get pods`, keep their logs and volumes, and add load on the API server and etcd. `ttlSecondsAfterFinished` lets the TTL controller delete them. For a CronJob, `successfulJobsHistoryLimit` and `failedJobsHistoryLimit` already decide how many finished Jobs to keep; a TTL in the job template competes with them (whichever is stricter wins), which makes failed runs disappear before anyone looked at them. The quick fix adds the TTL of the `seconds` option to a Job, or removes it from a CronJob\'s job template.',
      url: docsUrl('job-ttl-after-finished'),
    },
    messages: {
      pass: '{{kind}} "{{name}}" leaves clean-up to the right mechanism (ttlSecondsAfterFinished or history limits).',
      missing: 'The Job sets no ttlSecondsAfterFinished: it and its pods stay in the cluster after it finishes.',
      cronJob: 'The CronJob\'s job template sets ttlSecondsAfterFinished, which competes with successfulJobsHistoryLimit and failedJobsHistoryLimit.',
    },
    aliases: { kubeLinter: 'job-ttl-seconds-after-finished' },
    options: {
      type: 'object',
      properties: {
        seconds: { type: 'integer', minimum: 0, description: 'The ttlSecondsAfterFinished the quick fix adds to a Job.' },
      },
      additionalProperties: false,
    },
    defaultOptions: { seconds: 86400 },
    fixable: true,
    checklist: 'availability',
  },
  check(ctx) {
    if (ctx.resource.kind === 'CronJob') {
      const at = '/spec/jobTemplate/spec/ttlSecondsAfterFinished';
      if (ctx.get(at) === undefined) return;
      ctx.report({ messageId: 'cronJob', at, anchor: 'key', fix: { title: 'Remove ttlSecondsAfterFinished from the job template', patch: [{ op: 'remove', path: at }] } });
      return;
    }
    const owners = asList(asObject(ctx.value.metadata)?.ownerReferences);
    if (owners.some((o) => asObject(o)?.kind === 'CronJob')) return;
    if (ctx.get('/spec/ttlSecondsAfterFinished') !== undefined) return;
    const { seconds } = ctx.options;
    ctx.report({
      messageId: 'missing', data: { seconds }, at: '/spec/ttlSecondsAfterFinished',
      fix: {
        title: 'Set ttlSecondsAfterFinished: {{seconds}}',
        patch: [{ op: 'add', path: '/spec/ttlSecondsAfterFinished', value: seconds, comment: 'delete the finished Job and its pods after this many seconds' }],
      },
    });
  },
});
