import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';

/** kube-score `cronjob-has-deadline`; also flags a deadline under 10 seconds, which the controller may never meet. */
export default defineRule<{ seconds: number }>({
  meta: {
    id: 'cronjob-deadline',
    category: 'reliability',
    defaultSeverity: 'warning',
    target: { kinds: ['CronJob'], scope: 'object' },
    docs: {
      summary: 'CronJobs set `startingDeadlineSeconds`.',
      rationale: 'Without a starting deadline a run that could not start on time (controller down, cluster full, a long previous run with `concurrencyPolicy: Forbid`) is started whenever it becomes possible, possibly hours late; and once more than 100 schedules have been missed the CronJob stops scheduling altogether until someone intervenes. A deadline makes late runs be skipped and counted as missed instead. The CronJob controller checks every 10 seconds, so a shorter deadline may skip runs that were on time. The quick fix adds the deadline of the `seconds` option with a TODO comment: choose it from the schedule.',
      url: docsUrl('cronjob-deadline'),
    },
    messages: {
      pass: 'CronJob "{{name}}" sets startingDeadlineSeconds.',
      missing: 'The CronJob sets no startingDeadlineSeconds: a missed run starts whenever it can, however late.',
      tooShort: 'startingDeadlineSeconds is {{value}}: under 10 seconds the controller may skip runs that were on time.',
    },
    aliases: { kubeScore: 'cronjob-has-deadline' },
    options: {
      type: 'object',
      properties: {
        seconds: { type: 'integer', minimum: 10, description: 'The startingDeadlineSeconds the quick fix adds.' },
      },
      additionalProperties: false,
    },
    defaultOptions: { seconds: 600 },
    fixable: true,
    checklist: 'availability',
  },
  check(ctx) {
    const value = ctx.get('/spec/startingDeadlineSeconds');
    if (typeof value === 'number') {
      if (value < 10) ctx.report({ messageId: 'tooShort', data: { value }, at: '/spec/startingDeadlineSeconds' });
      return;
    }
    if (value !== undefined) return;
    const { seconds } = ctx.options;
    ctx.report({
      messageId: 'missing', data: { seconds }, at: '/spec/startingDeadlineSeconds',
      fix: {
        title: 'Set startingDeadlineSeconds: {{seconds}}',
        patch: [{ op: 'add', path: '/spec/startingDeadlineSeconds', value: seconds, comment: 'TODO: how late a missed run may still start' }],
      },
    });
  },
});
