/** kube-score's reading of the probe rules: per pod rather than per container, and only for pods a Service targets. */
import type { RuleContext } from '../../rule';
import { isJsonObject, type JsonObject } from '../../types';
import { services } from './references';

export interface ProbeScopeOptions {
  perPod: boolean;
  serviceTargetsOnly: boolean;
}

/** JSON Schema properties of the two options (the rule says which probe). */
export function probeScopeOptions(probe: string): Record<keyof ProbeScopeOptions, object> {
  return {
    perPod: { type: 'boolean', description: `A pod passes when any of its containers (or init containers) has a ${probe}, as kube-score judges it; by default every container needs one.` },
    serviceTargetsOnly: { type: 'boolean', description: `Require a ${probe} only of pods that a Service of their namespace in the workspace selects (kube-score); the rule then reads other resources.` },
  };
}

/**
 * Why the probe requirement is waived for this container: another container of the pod has the probe
 * (`perPod`: the pod passes), or no Service selects the pod (`serviceTargetsOnly`: the rule does not apply).
 */
export function probeWaived(ctx: RuleContext<ProbeScopeOptions>, probe: 'readinessProbe' | 'livenessProbe'): 'covered' | 'untargeted' | undefined {
  const podSpec: JsonObject = ctx.podSpec ?? {};
  if (ctx.options.perPod) {
    const all = [...(Array.isArray(podSpec.containers) ? podSpec.containers : []), ...(Array.isArray(podSpec.initContainers) ? podSpec.initContainers : [])];
    if (all.some((c) => isJsonObject(c) && c[probe] !== undefined)) return 'covered';
  }
  if (ctx.options.serviceTargetsOnly) {
    const labels = ctx.podLabels ?? {};
    const namespace = ctx.resource.namespace;
    const targeted = services(ctx.workspace).some((service) => {
      const spec = service.value.spec;
      const selector = isJsonObject(spec) && isJsonObject(spec.selector) ? spec.selector : undefined;
      if (!selector || Object.keys(selector).length === 0 || ctx.workspace.namespaceOf(service) !== namespace) return false;
      return Object.entries(selector).every(([key, value]) => labels[key] === value);
    });
    if (!targeted) return 'untargeted';
  }
  return undefined;
}
