import { docsUrl } from '../registry/docs';
import { valueAt } from '../util/pointer';
import { JOB_KINDS } from './utils/workload';
import { defineRule } from '../rule';

/**
 * kube-linter `restart-policy`, kube-score `cronjob-restartpolicy`. What the API server accepts: controllers that
 * keep pods running (Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController) only `Always`;
 * Jobs and CronJobs `OnFailure` or `Never`, and they must set it (the pod default, Always, is rejected for them).
 * Bare Pods may use any policy and are not checked (kube-linter flags `Never` on them).
 */
export default defineRule({
  meta: {
    id: 'restart-policy-valid',
    category: 'reliability',
    defaultSeverity: 'error',
    target: { kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob'], scope: 'podSpec' },
    docs: {
      summary: 'Pod templates use the restartPolicy their controller accepts: `Always` for long-running workloads, `OnFailure` or `Never` for Jobs and CronJobs.',
      rationale: 'The API server rejects a Deployment, StatefulSet, DaemonSet, ReplicaSet or ReplicationController whose pods do not restart `Always`, and a Job or CronJob whose pods would (including when restartPolicy is left unset, since the pod default is Always). The schema allows all three values, so the mistake otherwise surfaces only when the manifest is applied. The quick fix sets `Always`, or `OnFailure` for jobs (`Never` when the Job has a podFailurePolicy, which requires it).',
      url: docsUrl('restart-policy-valid'),
    },
    messages: {
      pass: 'The pod template uses a restartPolicy its {{kind}} accepts.',
      notAlways: 'restartPolicy is {{value}}, but a {{kind}} only accepts Always.',
      jobMissing: 'A {{kind}}\'s pods must set restartPolicy OnFailure or Never; unset means Always, which the API server rejects.',
      jobAlways: 'restartPolicy Always is rejected for a {{kind}}: use OnFailure or Never.',
    },
    aliases: { kubeLinter: 'restart-policy', kubeScore: 'cronjob-restartpolicy' },
    fixable: true,
    checklist: 'availability',
  },
  check(ctx) {
    const { kind } = ctx.resource;
    const value = ctx.value.restartPolicy;
    if (!JOB_KINDS.includes(kind)) {
      if (value === undefined || value === 'Always') return;
      ctx.report({
        messageId: 'notAlways', data: { kind, value: String(value) }, at: '/restartPolicy', anchor: 'value',
        fix: { title: 'Set restartPolicy: Always', patch: [{ op: 'replace', path: '/restartPolicy', value: 'Always' }] },
      });
      return;
    }
    if (value === 'OnFailure' || value === 'Never') return;
    const jobSpec = kind === 'CronJob' ? '/spec/jobTemplate/spec' : '/spec';
    const policy = valueAt(ctx.resource.value, `${jobSpec}/podFailurePolicy`) === undefined ? 'OnFailure' : 'Never';
    ctx.report({
      messageId: value === undefined ? 'jobMissing' : 'jobAlways', data: { kind, policy }, at: '/restartPolicy',
      fix: { title: 'Set restartPolicy: {{policy}}', patch: [{ op: value === undefined ? 'add' : 'replace', path: '/restartPolicy', value: policy }] },
    });
  },
});
