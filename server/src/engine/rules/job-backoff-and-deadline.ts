import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';

/**
 * Strict: a Job states how often it retries (`backoffLimit`, or `backoffLimitPerIndex` for an Indexed Job) and how
 * long it may run (`activeDeadlineSeconds`), so that a bad version fails the Job instead of running or retrying
 * without end. For a CronJob, the fields of its job template.
 */
export default defineRule({
  meta: {
    id: 'job-backoff-and-deadline',
    category: 'rollout',
    defaultSeverity: 'warning',
    target: { kinds: ['Job', 'CronJob'], scope: 'object' },
    docs: {
      summary: 'Jobs (and CronJobs\' job templates) set `backoffLimit` and `activeDeadlineSeconds`.',
      rationale: 'A Job of a bad version fails the way its authors allowed: without `activeDeadlineSeconds` a Job that hangs (a lock never released, a peer that never answers) runs forever and, under a CronJob with `concurrencyPolicy: Forbid`, blocks every later run; '
        + 'without an explicit `backoffLimit` it retries 6 times with growing delays, which suits few Jobs (a migration should usually not be retried at all). '
        + 'Setting both makes a failure visible as a failed Job within a known time. An Indexed Job\'s `backoffLimitPerIndex` counts as a retry limit. '
        + 'The values depend on the Job, so there is no quick fix. This is a strict-preset rule.',
      url: docsUrl('job-backoff-and-deadline'),
    },
    messages: {
      pass: '{{kind}} "{{name}}" bounds its retries and its run time.',
      noDeadline: '{{kind}} "{{name}}" sets no activeDeadlineSeconds: a Job that hangs runs forever.',
      noBackoffLimit: '{{kind}} "{{name}}" sets no backoffLimit: a failing Job is retried 6 times by default, whatever it does.',
    },
    checklist: 'rollout & rollback',
  },
  check(ctx) {
    const spec = ctx.resource.kind === 'CronJob' ? '/spec/jobTemplate/spec' : '/spec';
    const data = { kind: ctx.resource.kind, name: ctx.resource.name ?? '' };
    if (ctx.get(`${spec}/backoffLimit`) === undefined && ctx.get(`${spec}/backoffLimitPerIndex`) === undefined) {
      ctx.report({ messageId: 'noBackoffLimit', data, at: `${spec}/backoffLimit` });
    }
    if (ctx.get(`${spec}/activeDeadlineSeconds`) === undefined) ctx.report({ messageId: 'noDeadline', data, at: `${spec}/activeDeadlineSeconds` });
  },
});
