/**
 * The rule contract (docs/architecture.md, "The rule contract"): `meta` is data every part of kgov reads (diagnostics, checklist, docs, SARIF,
 * `kgov rules`); `check` receives one target the engine walked to and reports findings by message id.
 */
import type { WorkspaceView } from './workspace';
import type { Anchor, JsonObject, JsonValue, PatchBase, PatchOp, Severity } from './types';

export type { PatchBase, PatchOp };

export type Category = 'security' | 'reliability' | 'efficiency' | 'networking' | 'rbac' | 'images' | 'metadata' | 'rollout';

/** Readiness groups of the rollout checklist. */
export type ChecklistGroup = 'health probes' | 'resources' | 'availability' | 'security' | 'images' | 'networking' | 'scaling' | 'rollout & rollback';

/** Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob. */
export type KindGroup = 'workloads';

export type Scope = 'object' | 'podSpec' | 'container';
export type ContainerKind = 'containers' | 'initContainers' | 'ephemeralContainers';

export interface RuleTarget {
  /** A kind group, or kind names (`['Service']`, `['Role', 'ClusterRole']`), or '*' for every resource. */
  /** Kubernetes kinds by name (`Job`), custom ones with their group (`monitoring.coreos.com/ServiceMonitor`). */
  kinds: KindGroup | '*' | readonly string[];
  /** What `check` receives: the resource, its pod spec, or each container (workload kinds only). */
  scope: Scope;
  /** For scope 'container': which lists to walk (default: all three). */
  containers?: readonly ContainerKind[];
}

export interface RuleAliases {
  polaris?: string | readonly string[];
  kubeLinter?: string | readonly string[];
  kubeScore?: string | readonly string[];
  /** Pod Security Standards check id(s) (pod-security-admission `policy/check_*.go`). */
  pss?: string | readonly string[];
}

export interface RuleMeta<Options extends object = Record<string, never>> {
  /** = file name, kebab-case, stable forever. */
  id: string;
  category: Category;
  /** What a preset's "on" means for this rule. */
  defaultSeverity: Severity;
  target: RuleTarget;
  docs: { summary: string; rationale: string; url: string };
  /** By message id; `pass` is the checklist line when the rule is satisfied. Placeholders: `{{name}}`. */
  messages: { pass: string } & Record<string, string>;
  aliases?: RuleAliases;
  /** JSON Schema of the options; absent = the rule takes none. */
  options?: object;
  defaultOptions?: Options;
  fixable?: boolean;
  /** Reads other resources (ctx.workspace): re-run whenever the workspace changes, never cached per document. */
  crossResource?: boolean;
  /** An option that, when true, makes the rule read other resources: it then runs as a cross-resource rule. */
  crossResourceOption?: string;
  /** The checklist group this rule belongs to, or false to keep it out of the checklist. */
  checklist: ChecklistGroup | false;
}

export interface FixSpec {
  /** Shown as "Fix: <title>"; placeholders come from the report's data. */
  title: string;
  patch: PatchOp[];
}

export interface Report {
  messageId: string;
  data?: Record<string, string | number | boolean>;
  /** Pointer relative to the target (default: the target itself). */
  at?: string;
  /** Where `at` is anchored (default: 'key' for a present property, the parent key when it is missing). */
  anchor?: Anchor;
  /** `at` is relative to this base instead of the target. */
  base?: PatchBase;
  fix?: FixSpec;
}

export interface ResourceView {
  apiVersion: string;
  kind: string;
  name?: string;
  /** Effective namespace (metadata.namespace or the workspace default). */
  namespace: string;
  value: JsonObject;
  /** Pointer of the resource in its document ('' or '/items/N'). */
  pointer: string;
  uri: string;
}

export interface RuleContext<Options extends object = Record<string, never>> {
  /** The target's value (the resource, its pod spec, or one container). */
  readonly value: JsonObject;
  /** The target's JSON pointer inside its document. */
  readonly pointer: string;
  readonly resource: ResourceView;
  /** The pod spec (for podSpec and container scopes), e.g. for pod-level defaults of container settings. */
  readonly podSpec?: JsonObject;
  readonly podSpecPointer?: string;
  /** Labels of the pod template (workloads). */
  readonly podLabels?: Record<string, string>;
  /** For container scope: which list the container is in. */
  readonly containerKind?: ContainerKind;
  readonly options: Options;
  readonly workspace: WorkspaceView;
  readonly kubernetesVersion: string;
  report(report: Report): void;
  /** This target is outside the rule's concern (e.g. too few replicas to need anti-affinity): "not applicable" in the checklist, not "pass". */
  notApplicable(): void;
  /** The value at a pointer relative to the target. */
  get(relative: string): JsonValue | undefined;
}

export interface Rule<Options extends object = Record<string, never>> {
  meta: RuleMeta<Options>;
  check(ctx: RuleContext<Options>): void;
}

/** A rule of any options type (the rule index holds rules whose options differ). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = Rule<any>;

/** Identity at run time; gives rule files their types. */
export function defineRule<Options extends object = Record<string, never>>(rule: Rule<Options>): Rule<Options> {
  return rule;
}

export class RuleError extends Error {
  constructor(readonly ruleId: string, message: string) {
    super(`Rule "${ruleId}": ${message}`);
  }
}

/** Fills `{{placeholder}}`s; a placeholder without data is a rule bug, reported as such. */
export function format(ruleId: string, template: string, data: Record<string, unknown> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => {
    if (!(key in data)) throw new RuleError(ruleId, `message placeholder "{{${key}}}" has no data`);
    return String(data[key]);
  });
}

export function aliasList(value: string | readonly string[] | undefined): string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : [...value];
}
