import { docsUrl } from '../registry/docs';
import { groupOf } from '../k8s/kinds';
import { valueAt } from '../util/pointer';
import { describeSelector, isEmptySelector, matches, overlap, parseSelector, type Selector } from '../k8s/selectors';
import { isJsonObject, type JsonObject, type JsonValue } from '../types';
import type { WorkspaceResource, WorkspaceView } from '../workspace';
import { describe } from './utils/text';
import { podLabelsOf, replicasOf } from './utils/workload';
import { hpaMaxReplicas, hpasTargeting, isPdb, pdbSelectorOf, pdbsSelecting } from './utils/references';
import { defineRule } from '../rule';

interface Options {
  minReplicas: number;
  unsetReplicas: boolean;
}

/**
 * Each Deployment and StatefulSet that runs `minReplicas` or more pods is covered by a PodDisruptionBudget of its
 * namespace whose selector selects its pods. The fix appends a budget that lets one pod go at a time.
 */
export default defineRule<Options>({
  meta: {
    id: 'pdb-exists',
    category: 'reliability',
    defaultSeverity: 'warning',
    target: { kinds: ['Deployment', 'StatefulSet'], scope: 'object' },
    docs: {
      summary: 'Each replicated Deployment and StatefulSet is covered by a PodDisruptionBudget.',
      rationale: 'Without a PodDisruptionBudget a node drain, a cluster upgrade or the cluster autoscaler may evict every pod of a workload at once. '
        + 'A budget in the workload\'s namespace whose selector selects its pod template labels makes evictions wait until enough pods are ready elsewhere. '
        + 'By default only workloads that run 2 or more pods need one (`minReplicas: 2`, as kube-score does): for a single pod a budget either blocks every drain or protects nothing. '
        + 'Set `minReplicas: 1` to require one for every Deployment and StatefulSet, as Polaris does, or `unsetReplicas: true` to require one also when `replicas` is not set, as kube-score does. A workload whose pod template has no labels cannot be selected by any budget and is reported. A workload scaled by a HorizontalPodAutoscaler counts with its `maxReplicas`. '
        + 'The fix appends a `policy/v1` PodDisruptionBudget named `<workload>-pdb` with `maxUnavailable: 1`, `unhealthyPodEvictionPolicy: AlwaysAllow` and the workload\'s own selector; '
        + 'it is offered only when the workload has a selector and no PodDisruptionBudget of that name exists in its namespace.',
      url: docsUrl('pdb-exists'),
    },
    messages: {
      pass: 'A PodDisruptionBudget limits how many of its pods are evicted at once.',
      missing: 'No PodDisruptionBudget in namespace "{{namespace}}" selects the pods of {{workload}} ({{labels}}{{hint}}); {{risk}}.',
    },
    aliases: { polaris: 'missingPodDisruptionBudget', kubeScore: ['deployment-has-poddisruptionbudget', 'statefulset-has-poddisruptionbudget'] },
    options: {
      type: 'object',
      properties: {
        minReplicas: { type: 'integer', minimum: 1, description: 'Workloads with fewer replicas need no budget (1 = every workload, as Polaris).' },
        unsetReplicas: { type: 'boolean', description: 'Workloads that do not set `replicas` need a budget too, whatever `minReplicas` says (kube-score: the count is left to `kubectl scale` or an autoscaler, so it may grow).' },
      },
      additionalProperties: false,
    },
    defaultOptions: { minReplicas: 2, unsetReplicas: false },
    fixable: true,
    crossResource: true,
    checklist: 'availability',
  },
  check(ctx) {
    const { kind, apiVersion, namespace, name } = ctx.resource;
    if (groupOf(apiVersion) !== 'apps' || name === undefined) return;
    const [hpa] = hpasTargeting(ctx.workspace, ctx.resource);
    const replicas = hpa ? hpaMaxReplicas(hpa.value) : replicasOf(ctx.value);
    const unset = !hpa && valueAt(ctx.value, '/spec/replicas') === undefined;
    if (replicas === undefined || (replicas < ctx.options.minReplicas && !(unset && ctx.options.unsetReplicas))) return;
    // Pods without labels cannot be selected by any budget.
    const labels = podLabelsOf({ kind, value: ctx.value }) ?? {};
    if (Object.keys(labels).length > 0 && pdbsSelecting(ctx.workspace, namespace, labels).length > 0) return;

    const pdbs = ctx.workspace.resources('PodDisruptionBudget');
    const data = {
      namespace, workload: describe(ctx.resource), pdbName: `${name}-pdb`,
      risk: replicas === 1 ? 'a node drain evicts its only pod before a replacement is ready' : `a node drain may evict all ${replicas} pods at once`,
      labels: Object.keys(labels).length === 0 ? 'its pod template has no labels' : Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(','), hint: closestPdb(pdbs, labels, namespace, ctx.workspace),
    };
    const pdb = Object.keys(labels).length === 0 ? undefined : generatedPdb(ctx.value, labels, data.pdbName, namespace, pdbs, (r) => ctx.workspace.namespaceOf(r));
    ctx.report({
      messageId: 'missing', data,
      ...(pdb ? { fix: { title: 'Add PodDisruptionBudget "{{pdbName}}" (maxUnavailable: 1)', patch: [{ op: 'append-document', value: pdb }] } } : {}),
    });
  },
});

/** The PDB nearest to selecting these pods: one of the namespace sharing labels, or one of another namespace that selects them. */
function closestPdb(pdbs: WorkspaceResource[], labels: Record<string, string>, namespace: string, workspace: WorkspaceView): string {
  let best: { pdb: WorkspaceResource; selector: Selector; score: number } | undefined;
  for (const pdb of pdbs) {
    const selector = isPdb(pdb) ? pdbSelectorOf(pdb.value) : undefined;
    if (!selector || workspace.namespaceOf(pdb) !== namespace) continue;
    const score = overlap(selector, labels);
    if (score > 0 && (!best || score > best.score)) best = { pdb, selector, score };
  }
  if (best) return `; closest: ${describe(best.pdb)} selects ${describeSelector(best.selector)}, ${workspace.where(best.pdb)}`;
  const elsewhere = pdbs.find((pdb) => {
    const selector = isPdb(pdb) ? pdbSelectorOf(pdb.value) : undefined;
    return selector !== undefined && !isEmptySelector(selector) && matches(selector, labels);
  });
  return elsewhere ? `; closest: ${describe(elsewhere)} in namespace "${workspace.namespaceOf(elsewhere)}", ${workspace.where(elsewhere)}` : '';
}

/**
 * A policy/v1 PodDisruptionBudget with the workload's own selector, or undefined when that would be a guess: no selector,
 * a selector that does not select the pod template (selector-matches-template reports that), or the name is taken.
 */
function generatedPdb(
  workload: JsonObject, labels: Record<string, string>, pdbName: string, namespace: string, pdbs: WorkspaceResource[], namespaceOf: (r: WorkspaceResource) => string,
): JsonObject | undefined {
  const selectorValue = valueAt(workload, '/spec/selector') as JsonValue | undefined;
  const selector = parseSelector(selectorValue);
  if (!selector || isEmptySelector(selector) || !isJsonObject(selectorValue) || !matches(selector, labels)) return undefined;
  if (pdbs.some((p) => p.name === pdbName && namespaceOf(p) === namespace)) return undefined;
  const copied: JsonObject = {};
  if (selectorValue.matchLabels !== undefined) copied.matchLabels = selectorValue.matchLabels;
  if (selectorValue.matchExpressions !== undefined) copied.matchExpressions = selectorValue.matchExpressions;
  const explicitNamespace = valueAt(workload, '/metadata/namespace');
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: pdbName, ...(typeof explicitNamespace === 'string' ? { namespace: explicitNamespace } : {}) },
    spec: { maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: copied },
  };
}
