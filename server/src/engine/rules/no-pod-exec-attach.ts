import { docsUrl } from '../registry/docs';
import { EXEMPT_NAMES_OPTION, isExemptName, requireDefinedOption, type ExemptNamesOptions, type RequireDefinedOptions } from './utils/options';
import { checkBinding, describeGrant, grants, policyRules, type Permission } from './utils/rbac';
import { defineRule } from '../rule';

/** Polaris: `get` counts too, because an exec or attach session can be opened with a WebSocket GET. */
const EXEC_ATTACH: Permission = { targets: [['', 'pods/exec'], ['', 'pods/attach']], verbs: ['create', 'get'] };

/**
 * Polaris rolePodExecAttach, clusterrolePodExecAttach, rolebindingRolePodExecAttach,
 * rolebindingClusterRolePodExecAttach, clusterrolebindingPodExecAttach: roles must not allow pods/exec or
 * pods/attach, and bindings must not grant a role that does.
 */
export default defineRule<RequireDefinedOptions & ExemptNamesOptions>({
  meta: {
    id: 'no-pod-exec-attach',
    category: 'rbac',
    defaultSeverity: 'error',
    target: { kinds: ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'], scope: 'object' },
    docs: {
      summary: 'Roles do not allow `pods/exec` or `pods/attach`, and bindings do not grant roles that do.',
      rationale: 'exec and attach open a shell or a stream inside a running container: whoever has them can read the container\'s Secrets, tokens and memory, and act as its ServiceAccount. Grant them to break-glass roles only, not to applications or everyday users. A rule counts when its apiGroups include "" or `*`, its resources include pods/exec, pods/attach, `*/exec`, `*/attach` or `*`, and its verbs include create, get (an exec session can be opened with a WebSocket GET) or `*`. Bindings are checked against the roles in the workspace (with the ClusterRoles an aggregated ClusterRole selects) and the built-in `admin` and `edit` ClusterRoles, which allow both; a binding to `cluster-admin` is left to no-cluster-admin-binding. A binding whose role is not defined is reported when the workspace defines roles of that kind, or always with `requireDefined: true`.',
      url: docsUrl('no-pod-exec-attach'),
    },
    messages: {
      pass: '{{kind}} "{{name}}" does not allow exec or attach into pods.',
      role: 'Rule {{number}} of {{kind}} "{{name}}" allows {{grant}}: its subjects can run commands in pods.',
      binding: '{{binding}} grants {{role}}, which allows {{grant}}: its subjects can run commands in pods.',
      roleNotFound: '{{binding}} references {{ref}}, which is not defined in {{where}}, so kgov cannot tell whether it allows exec or attach.',
    },
    aliases: {
      polaris: ['clusterrolePodExecAttach', 'rolePodExecAttach', 'clusterrolebindingPodExecAttach', 'rolebindingClusterRolePodExecAttach', 'rolebindingRolePodExecAttach'],
    },
    options: {
      type: 'object', additionalProperties: false,
      properties: {
        requireDefined: requireDefinedOption('Report bindings whose role is not defined in the workspace even when the workspace defines no role of that kind (by default a missing role is only reported when the workspace manages Roles or ClusterRoles).'),
        exemptNames: EXEMPT_NAMES_OPTION,
      },
    },
    defaultOptions: { requireDefined: false, exemptNames: [] },
    crossResource: true,
    checklist: 'security',
  },
  check(ctx) {
    const { kind, name } = ctx.resource;
    if (isExemptName(name, ctx.options.exemptNames)) {
      ctx.notApplicable();
      return;
    }
    if (kind === 'Role' || kind === 'ClusterRole') {
      for (const rule of policyRules(ctx.value)) {
        const grant = grants(rule, EXEC_ATTACH);
        if (grant) ctx.report({ messageId: 'role', data: { kind, name: name ?? '', number: rule.index + 1, grant: describeGrant(grant) }, at: `/rules/${rule.index}/resources`, anchor: 'key' });
      }
      return;
    }
    checkBinding(ctx, EXEC_ATTACH, 'binding', ctx.options);
  },
});
