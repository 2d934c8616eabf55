import { docsUrl } from '../registry/docs';
import { requireDefinedOption } from './utils/options';
import { defineRule } from '../rule';

interface Options {
  requireDefined: boolean;
}

/** kube-linter non-existent-service-account: the pod's ServiceAccount is defined beside it. */
export default defineRule<Options>({
  meta: {
    id: 'service-account-exists',
    category: 'rbac',
    defaultSeverity: 'error',
    target: { kinds: 'workloads', scope: 'podSpec' },
    docs: {
      summary: 'The ServiceAccount a pod names is defined in the workspace, in the pod\'s namespace.',
      rationale: 'The API server refuses to create a pod whose ServiceAccount does not exist: a Deployment then reports no error itself while its ReplicaSet keeps failing to create pods. A typo in `serviceAccountName`, or a ServiceAccount defined in another namespace, is found here before rollout. Noise control: the reference is checked only when the workspace defines at least one ServiceAccount (otherwise they are presumably managed elsewhere), or always with `requireDefined: true`. The `default` ServiceAccount exists in every namespace and is not checked.',
      url: docsUrl('service-account-exists'),
    },
    messages: {
      pass: 'The pod\'s ServiceAccount is defined in its namespace.',
      notFound: 'ServiceAccount "{{account}}" is not defined in namespace "{{namespace}}" ({{considered}}).',
    },
    aliases: { kubeLinter: 'non-existent-service-account' },
    options: {
      type: 'object', additionalProperties: false,
      properties: { requireDefined: requireDefinedOption('Check the reference even when the workspace defines no ServiceAccount at all.') },
    },
    defaultOptions: { requireDefined: false },
    crossResource: true,
    checklist: 'security',
  },
  check(ctx) {
    const field = typeof ctx.value.serviceAccountName === 'string' && ctx.value.serviceAccountName !== '' ? 'serviceAccountName'
      : typeof ctx.value.serviceAccount === 'string' && ctx.value.serviceAccount !== '' ? 'serviceAccount' : undefined;
    const account = field === undefined ? 'default' : ctx.value[field] as string;
    const { workspace } = ctx;
    // The namespace's default account always exists; unmanaged ServiceAccounts are not judged.
    if (account === 'default' || (!ctx.options.requireDefined && !workspace.manages('ServiceAccount'))) {
      ctx.notApplicable();
      return;
    }
    const namespace = ctx.resource.namespace;
    if (workspace.find('ServiceAccount', namespace, account)) return;
    const all = workspace.resources('ServiceAccount');
    const here = all.filter((sa) => workspace.namespaceOf(sa) === namespace).map((sa) => `"${sa.name ?? ''}"`);
    const listed = here.length > 5 ? `${here.slice(0, 5).join(', ')} and ${here.length - 5} more` : here.join(', ');
    const elsewhere = all.find((sa) => sa.name === account);
    const parts = [here.length > 0 ? `the workspace defines ${listed} there` : 'the workspace defines no ServiceAccount there'];
    if (elsewhere) parts.push(`"${account}" exists in namespace "${workspace.namespaceOf(elsewhere)}" at ${workspace.where(elsewhere)}`);
    ctx.report({ messageId: 'notFound', data: { account, namespace, considered: parts.join('; ') }, at: `/${field}`, anchor: 'value' });
  },
});
