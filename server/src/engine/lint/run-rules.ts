/** Runs rule modules over one resource: walks to each target, guards the contract, collects findings. */
import { joinPointer, parsePointer, valueAt } from '../util/pointer';
import type { ManifestResource } from './resources';
import { format, RuleError, type FixSpec, type Report, type ResourceView, type Rule, type RuleContext } from '../rule';
import type { Anchor, JsonObject, JsonValue, PatchOp, Severity } from '../types';
import { containersOf, podSpecOf, targets } from './walk';
import type { WorkspaceView } from '../workspace';

/** A rule as configured for one run. */
export interface ActiveRule {
  rule: Rule<object>;
  severity: Severity;
  options: object;
}

/** A rule finding before placement in the file; `fix` ops carry document-absolute pointers. */
export interface RuleFinding {
  ruleId: string;
  messageId: string;
  message: string;
  pointer: string;
  anchor: Anchor;
  /** The pointer of the walked target (for the checklist: one outcome per rule and target). */
  target: string;
  fix?: FixSpec;
  data?: Record<string, unknown>;
}

/** What one run over a resource produces, handed over as it happens (no intermediate lists). */
export interface RuleSink {
  finding(finding: RuleFinding): void;
  /** A rule's verdict on one walked target (`notApplicable`: outside its concern, nothing reported). */
  outcome(ruleId: string, target: string, failed: boolean, notApplicable: boolean): void;
  /** A rule broke its contract or threw (the error names the rule): the other rules still run. */
  failed(error: RuleError): void;
}

interface Walked {
  value: JsonObject;
  pointer: string;
  podSpec?: JsonObject;
  podSpecPointer?: string;
  podLabels?: Record<string, string>;
  containerKind?: RuleContext['containerKind'];
}

/** The targets of one resource, computed once per scope (and container selection) for all rules. */
class Targets {
  private readonly byScope = new Map<string, Walked[]>();

  constructor(private readonly resource: ManifestResource, private readonly kind: string) {}

  of(rule: Rule<object>): Walked[] {
    const { scope, containers } = rule.meta.target;
    const key = scope === 'container' && containers ? `container:${containers.join(',')}` : scope;
    let walked = this.byScope.get(key);
    if (!walked) {
      walked = this.walk(scope, containers);
      this.byScope.set(key, walked);
    }
    return walked;
  }

  private walk(scope: Rule<object>['meta']['target']['scope'], containers: Rule<object>['meta']['target']['containers']): Walked[] {
    const { resource } = this;
    if (scope === 'object') return [{ value: resource.value, pointer: resource.pointer }];
    const pod = podSpecOf(this.kind, resource.value);
    if (!pod) return [];
    const podSpecPointer = resource.pointer + pod.pointer;
    const shared = { podSpec: pod.spec, podSpecPointer, podLabels: pod.labels };
    if (scope === 'podSpec') return [{ value: pod.spec, pointer: podSpecPointer, ...shared }];
    return containersOf(pod, containers).map((c) => ({
      value: c.container, pointer: resource.pointer + c.pointer, containerKind: c.kind, ...shared,
    }));
  }
}

function absolute(walked: Walked, resource: ManifestResource, base: Report['base'], relative: string): string {
  const from = base === 'podSpec' ? walked.podSpecPointer ?? walked.pointer : base === 'resource' ? resource.pointer : walked.pointer;
  return relative === '' || relative === '/' ? from : joinPointer(from, ...parsePointer(relative));
}

function defaultAnchor(value: unknown, at: string | undefined): Anchor {
  if (at === undefined) return 'name';
  if (value === undefined) return 'parentKey';
  return typeof value === 'object' && value !== null ? 'key' : 'value';
}

export function runRules(
  rules: readonly ActiveRule[], resource: ManifestResource, workspace: WorkspaceView, kubernetesVersion: string, sink: RuleSink,
): void {
  if (!resource.apiVersion || !resource.kind || resource.kustomization) return;
  const view: ResourceView = {
    apiVersion: resource.apiVersion, kind: resource.kind, namespace: workspace.namespaceOf(resource),
    value: resource.value, pointer: resource.pointer, uri: resource.uri, ...(resource.name ? { name: resource.name } : {}),
  };
  const walkedTargets = new Targets(resource, view.kind);
  for (const active of rules) {
    const { rule } = active;
    const { meta } = rule;
    if (!targets(meta.target, view.apiVersion, view.kind)) continue;
    try {
      for (const walked of walkedTargets.of(rule)) runOne(active, walked, resource, view, workspace, kubernetesVersion, sink);
    } catch (error) {
      sink.failed(error instanceof RuleError ? error : new RuleError(meta.id, `failed: ${error instanceof Error ? error.message : String(error)}`));
    }
  }
}

function runOne(
  active: ActiveRule, walked: Walked, resource: ManifestResource, view: ResourceView, workspace: WorkspaceView, kubernetesVersion: string, sink: RuleSink,
): void {
  const { meta } = active.rule;
  let failed = false;
  let notApplicable = false;
  const report = (r: Report) => {
    const template = meta.messages[r.messageId];
    if (template === undefined || r.messageId === 'pass') throw new RuleError(meta.id, `reported unknown messageId "${r.messageId}"`);
    if (r.fix && !meta.fixable) throw new RuleError(meta.id, 'reported a fix but meta.fixable is not true');
    const pointer = r.at === undefined
      ? (meta.target.scope === 'container' && typeof walked.value.name === 'string' ? joinPointer(walked.pointer, 'name') : resource.pointer)
      : absolute(walked, resource, r.base, r.at);
    const anchor = r.anchor ?? (r.at === undefined && meta.target.scope === 'container' ? 'value' : defaultAnchor(valueAt(resource.doc.value, pointer), r.at));
    const finding: RuleFinding = {
      ruleId: meta.id, messageId: r.messageId, message: format(meta.id, template, r.data), pointer, anchor, target: walked.pointer,
    };
    if (r.data) finding.data = r.data;
    if (r.fix) finding.fix = { title: format(meta.id, r.fix.title, r.data), patch: r.fix.patch.map((op) => absoluteOp(op, walked, resource)) };
    sink.finding(finding);
    failed = true;
  };
  const ctx: RuleContext<object> = {
    value: walked.value, pointer: walked.pointer, resource: view, options: active.options, workspace, kubernetesVersion, report,
    notApplicable: () => {
      notApplicable = true;
    },
    get: (relative: string) => valueAt(walked.value, relative) as JsonValue | undefined,
    ...(walked.podSpec ? { podSpec: walked.podSpec, podSpecPointer: walked.podSpecPointer as string, podLabels: walked.podLabels ?? {} } : {}),
    ...(walked.containerKind ? { containerKind: walked.containerKind } : {}),
  };
  active.rule.check(ctx);
  sink.outcome(meta.id, walked.pointer, failed, notApplicable && !failed);
}

function absoluteOp(op: PatchOp, walked: Walked, resource: ManifestResource): PatchOp {
  switch (op.op) {
    case 'add-annotation':
      return { op: 'add', path: joinPointer(resource.pointer, 'metadata', 'annotations', op.key), value: op.value };
    case 'append-document':
      return op;
    case 'move':
      return { op: 'move', from: absolute(walked, resource, op.base, op.from), path: absolute(walked, resource, op.base, op.path) };
    // After this, every path is absolute inside the document (no `base`).
    default: {
      const { base, ...rest } = op;
      return { ...rest, path: absolute(walked, resource, base, op.path) };
    }
  }
}
