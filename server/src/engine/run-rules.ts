/** Runs rule modules over one resource: walks to each target, guards the contract, collects findings. */
import { joinPointer, parsePointer, valueAt } from './pointer';
import type { ManifestResource } from './resources';
import { format, RuleError, type FixSpec, type Report, type ResourceView, type Rule, type RuleContext } from './rules/define';
import type { Anchor, JsonObject, JsonValue, PatchOp, Severity } from './types';
import { containersOf, podSpecOf, targets } from './walk';
import type { WorkspaceView } from './workspace';

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

export interface RuleOutcome {
  ruleId: string;
  /** The walked target's pointer. */
  target: string;
  failed: boolean;
  /** The rule said the target is outside its concern (and reported nothing). */
  notApplicable?: true;
}

interface Walked {
  value: JsonObject;
  pointer: string;
  podSpec?: JsonObject;
  podSpecPointer?: string;
  podLabels?: Record<string, string>;
  containerKind?: RuleContext['containerKind'];
}

function walk(rule: Rule<object>, resource: ManifestResource, view: ResourceView): Walked[] {
  const { scope } = rule.meta.target;
  if (scope === 'object') return [{ value: resource.value, pointer: resource.pointer }];
  const pod = podSpecOf(view.kind, resource.value);
  if (!pod) return [];
  const podSpecPointer = resource.pointer + pod.pointer;
  const shared = { podSpec: pod.spec, podSpecPointer, podLabels: pod.labels };
  if (scope === 'podSpec') return [{ value: pod.spec, pointer: podSpecPointer, ...shared }];
  return containersOf(pod, rule.meta.target.containers).map((c) => ({
    value: c.container, pointer: resource.pointer + c.pointer, containerKind: c.kind, ...shared,
  }));
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
  rules: readonly ActiveRule[], resource: ManifestResource, workspace: WorkspaceView, kubernetesVersion: string,
  findings: RuleFinding[], outcomes: RuleOutcome[],
): void {
  if (!resource.apiVersion || !resource.kind || resource.kustomization) return;
  const view: ResourceView = {
    apiVersion: resource.apiVersion, kind: resource.kind, namespace: workspace.namespaceOf(resource),
    value: resource.value, pointer: resource.pointer, uri: resource.uri, ...(resource.name ? { name: resource.name } : {}),
  };
  for (const active of rules) {
    const { rule } = active;
    const { meta } = rule;
    if (!targets(meta.target, view.apiVersion, view.kind)) continue;
    for (const walked of walk(rule, resource, view)) {
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
        findings.push(finding);
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
      try {
        rule.check(ctx);
      } catch (error) {
        if (error instanceof RuleError) throw error;
        throw new RuleError(meta.id, `failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      outcomes.push({ ruleId: meta.id, target: walked.pointer, failed, ...(notApplicable && !failed ? { notApplicable: true as const } : {}) });
    }
  }
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
