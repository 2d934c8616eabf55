/** RBAC: reading Roles, ClusterRoles and bindings, and whether a binding grants a permission. */
import { matches, parseSelector } from '../../k8s/selectors';
import { isJsonObject, type JsonObject, type JsonValue } from '../../types';
import type { WorkspaceResource, WorkspaceView } from '../../workspace';
import type { RuleContext } from '../../rule';
import { labelsOf } from './network';
import type { RequireDefinedOptions } from './options';
import { describe } from './text';

export interface PolicyRule {
  /** Index in `rules[]`. */
  index: number;
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A Role/ClusterRole's `rules[]`, as written. */
export function policyRules(role: JsonObject): PolicyRule[] {
  const rules = role.rules;
  if (!Array.isArray(rules)) return [];
  const out: PolicyRule[] = [];
  rules.forEach((rule, index) => {
    if (!isJsonObject(rule)) return;
    out.push({
      index, apiGroups: strings(rule.apiGroups), resources: strings(rule.resources), verbs: strings(rule.verbs),
      resourceNames: strings(rule.resourceNames), nonResourceURLs: strings(rule.nonResourceURLs),
    });
  });
  return out;
}

/** What a rule looks for: verbs on resources of API groups (`''` is the core group). */
export interface Permission {
  /** [group, resource] pairs, e.g. ['', 'pods/exec'] or ['apps', 'deployments']. */
  targets: ReadonlyArray<readonly [string, string]>;
  verbs: readonly string[];
  /** Entries restricted by resourceNames do not count (they grant access to named objects only). */
  ignoreNamed?: boolean;
}

export interface Grant {
  /** The resource and verb entries, as written, through which the permission is granted. */
  resources: string[];
  verbs: string[];
}

function resourceMatches(written: string, resource: string): boolean {
  if (written === '*' || written === resource) return true;
  // `*/scale` grants the scale subresource of every resource.
  const slash = resource.indexOf('/');
  return slash > 0 && written === `*${resource.slice(slash)}`;
}

/**
 * Does one rule entry grant the permission, with the RBAC matching semantics (`*` in apiGroups, resources and verbs;
 * `*\/exec` style subresource wildcards)? The entries (as written) that do, or undefined.
 */
export function grants(rule: PolicyRule, permission: Permission): Grant | undefined {
  if (permission.ignoreNamed && rule.resourceNames.length > 0) return undefined;
  const verbs = rule.verbs.filter((v) => v === '*' || permission.verbs.includes(v));
  if (verbs.length === 0) return undefined;
  const resources = new Set<string>();
  for (const [group, resource] of permission.targets) {
    if (!rule.apiGroups.includes('*') && !rule.apiGroups.includes(group)) continue;
    for (const written of rule.resources) if (resourceMatches(written, resource)) resources.add(written);
  }
  return resources.size > 0 ? { resources: [...resources], verbs } : undefined;
}

const ALL_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/** Polaris's "cluster-admin-like" entry: every resource of every group, with `*` or all seven basic verbs. */
export function isClusterAdminLike(rule: PolicyRule): boolean {
  return rule.apiGroups.includes('*') && rule.resources.includes('*')
    && (rule.verbs.includes('*') || ALL_VERBS.every((v) => rule.verbs.includes(v)));
}

/** "get, list on secrets", "every verb on every resource" */
export function describeGrant(grant: Grant): string {
  const verbs = grant.verbs.includes('*') ? 'every verb' : grant.verbs.join(', ');
  const resources = grant.resources.includes('*') ? 'every resource' : grant.resources.join(', ');
  return `${verbs} on ${resources}`;
}

/* ---------- Built-in ClusterRoles ---------- */

const POD_WRITERS: JsonObject[] = [
  { apiGroups: [''], resources: ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'replicationcontrollers'], verbs: ['create', 'delete', 'deletecollection', 'patch', 'update'] },
  { apiGroups: [''], resources: ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'], verbs: ['create', 'delete', 'deletecollection', 'patch', 'update'] },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: ['create', 'delete', 'deletecollection', 'patch', 'update'] },
];

/**
 * The default ClusterRoles of every cluster, reduced to the rules the RBAC rules look at (pods, their exec and
 * attach subresources, secrets, workload controllers). `edit` and `admin` can read Secrets, create pods and
 * exec into them; `view` can do none of that.
 */
const BUILTIN_CLUSTER_ROLES: Readonly<Record<string, JsonObject>> = {
  'cluster-admin': { rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }] },
  admin: { rules: POD_WRITERS },
  edit: { rules: POD_WRITERS },
  view: { rules: [{ apiGroups: [''], resources: ['pods', 'pods/log', 'pods/status', 'replicationcontrollers', 'services', 'configmaps'], verbs: ['get', 'list', 'watch'] }] },
};

/* ---------- Bindings ---------- */

export interface RoleRef {
  kind: 'Role' | 'ClusterRole';
  name: string;
}

export function roleRefOf(binding: JsonObject): RoleRef | undefined {
  const ref = binding.roleRef;
  if (!isJsonObject(ref) || typeof ref.name !== 'string' || ref.name === '') return undefined;
  if (ref.kind !== 'Role' && ref.kind !== 'ClusterRole') return undefined;
  return { kind: ref.kind, name: ref.name };
}

/** A rule entry and the role it comes from (the referenced role, or a ClusterRole it aggregates). */
export interface SourcedRule {
  rule: PolicyRule;
  role: WorkspaceResource;
}

export type ResolvedRole =
  | { status: 'workspace'; role: WorkspaceResource; rules: SourcedRule[] }
  /** A default ClusterRole; `rules` is undefined for `system:` roles, whose rules kgov does not know. */
  | { status: 'builtin'; rules: PolicyRule[] | undefined }
  /** Not in the workspace and not built in; `checked` says whether the noise-control convention reports it. */
  | { status: 'missing'; checked: boolean; where: string };

/**
 * The role a binding references: in the workspace (a Role in the binding's namespace, a ClusterRole cluster-wide,
 * with aggregated ClusterRoles), among the built-in ClusterRoles every cluster has (an excerpt of their rules that
 * matters to these rules), or not at all. A ClusterRoleBinding can only reference a ClusterRole (undefined
 * otherwise); a RoleBinding's Role lives in the binding's namespace.
 */
export function resolveRoleRef(workspace: WorkspaceView, bindingKind: string, namespace: string, ref: RoleRef, requireDefined: boolean): ResolvedRole | undefined {
  if (bindingKind === 'ClusterRoleBinding' && ref.kind !== 'ClusterRole') return undefined;
  const role = ref.kind === 'Role' ? workspace.find('Role', namespace, ref.name) : workspace.resources('ClusterRole').find((r) => r.name === ref.name);
  if (role) return { status: 'workspace', role, rules: effectiveRules(workspace, role) };
  if (ref.kind === 'ClusterRole') {
    const builtin = BUILTIN_CLUSTER_ROLES[ref.name];
    if (builtin) return { status: 'builtin', rules: policyRules(builtin) };
    if (ref.name.startsWith('system:')) return { status: 'builtin', rules: undefined };
  }
  const elsewhere = ref.kind === 'Role' ? workspace.resources('Role').find((r) => r.name === ref.name) : undefined;
  const where = ref.kind === 'ClusterRole' ? 'the workspace'
    : `namespace "${namespace}"${elsewhere ? ` (a Role "${ref.name}" exists in namespace "${workspace.namespaceOf(elsewhere)}", ${workspace.where(elsewhere)})` : ''}`;
  return { status: 'missing', checked: requireDefined || workspace.manages(ref.kind), where };
}

/** A ClusterRole's rules, plus those of the workspace ClusterRoles its aggregationRule selects. */
function effectiveRules(workspace: WorkspaceView, role: WorkspaceResource): SourcedRule[] {
  const own = policyRules(role.value).map((rule) => ({ rule, role }));
  const aggregation = role.kind === 'ClusterRole' ? role.value.aggregationRule : undefined;
  if (!isJsonObject(aggregation) || !Array.isArray(aggregation.clusterRoleSelectors)) return own;
  const selectors = aggregation.clusterRoleSelectors.map((s) => parseSelector(s)).filter((s) => s !== undefined);
  const out = [...own];
  for (const other of workspace.resources('ClusterRole')) {
    if (other === role) continue;
    const labels = labelsOf(other);
    if (selectors.some((s) => matches(s, labels))) out.push(...policyRules(other.value).map((rule) => ({ rule, role: other })));
  }
  return out;
}

/** `ClusterRole "edit" (built in)`, `Role "debug" (rbac/debug.yaml:4)`, with the aggregated role when it differs. */
export function describeRole(workspace: WorkspaceView, ref: RoleRef, resolved: ResolvedRole, source?: WorkspaceResource): string {
  if (resolved.status === 'builtin') return `the built-in ClusterRole "${ref.name}"`;
  if (resolved.status === 'missing') return `${ref.kind} "${ref.name}"`;
  const own = `${ref.kind} "${ref.name}" (${workspace.where(resolved.role)})`;
  if (!source || source === resolved.role) return own;
  return `${own}, which aggregates ClusterRole "${source.name ?? ''}" (${workspace.where(source)})`;
}

export type BindingOutcome =
  /** The binding grants the permission through `role` (described for messages). */
  | { type: 'grants'; role: string; grant: Grant }
  /** The role is not defined and the convention says to report it; `ref` and `where` are for messages. */
  | { type: 'roleNotFound'; ref: string; where: string }
  /** kgov cannot judge the binding: its role is not in the workspace (unchecked), a `system:` role, or cluster-admin. */
  | { type: 'unknown' };

/**
 * Follows a binding to its role and asks whether it grants `permission` (undefined: it does not). Bindings to
 * cluster-admin are left to no-cluster-admin-binding, and roles kgov cannot know are 'unknown'.
 */
export function bindingGrants(workspace: WorkspaceView, kind: string, namespace: string, binding: JsonObject, permission: Permission, requireDefined: boolean): BindingOutcome | undefined {
  const ref = roleRefOf(binding);
  if (!ref || (ref.kind === 'ClusterRole' && ref.name === 'cluster-admin' && !workspace.resources('ClusterRole').some((r) => r.name === 'cluster-admin'))) return { type: 'unknown' };
  const resolved = resolveRoleRef(workspace, kind, namespace, ref, requireDefined);
  if (!resolved || (resolved.status === 'builtin' && resolved.rules === undefined)) return { type: 'unknown' };
  if (resolved.status === 'missing') return resolved.checked ? { type: 'roleNotFound', ref: `${ref.kind} "${ref.name}"`, where: resolved.where } : { type: 'unknown' };
  const sourced: Array<{ rule: PolicyRule; role?: WorkspaceResource }> = resolved.status === 'workspace' ? resolved.rules : (resolved.rules ?? []).map((rule) => ({ rule }));
  for (const { rule, role } of sourced) {
    const grant = grants(rule, permission);
    if (grant) return { type: 'grants', role: describeRole(workspace, ref, resolved, role), grant };
  }
  return undefined;
}

/**
 * The check of a binding for the rules that ask whether it grants one permission: `grantMessage` when it does,
 * not applicable when kgov cannot know. A role missing from a workspace that defines roles is reported with the
 * message `roleNotFound` only when the rule passes `reportMissingRole` (no-pod-exec-attach, as in Polaris): one
 * missing role is one finding, not one per RBAC rule; for the others such a binding is not applicable.
 */
export function checkBinding<Options extends object>(ctx: RuleContext<Options>, permission: Permission, grantMessage: string, reportMissingRole?: RequireDefinedOptions): void {
  const { kind, name, namespace } = ctx.resource;
  const outcome = bindingGrants(ctx.workspace, kind, namespace, ctx.value, permission, reportMissingRole?.requireDefined === true);
  const binding = describe({ kind, name });
  if (outcome?.type === 'grants') ctx.report({ messageId: grantMessage, data: { binding, role: outcome.role, grant: describeGrant(outcome.grant) }, at: '/roleRef' });
  else if (outcome?.type === 'roleNotFound' && reportMissingRole) ctx.report({ messageId: 'roleNotFound', data: { binding, ref: outcome.ref, where: outcome.where }, at: '/roleRef' });
  else if (outcome !== undefined) ctx.notApplicable();
}
