/**
 * What a cluster's facts change in validation: the target Kubernetes version (unless the user chose one)
 * and the custom kinds its CRDs define (after the workspace's own CRDs, which win).
 */
import { type CustomKind, customKindsOf, isJsonObject } from '../engine';
import type { ClusterFacts } from './session';
import { targetVersion, type TargetVersion } from './version';

export interface ValidationFacts {
  context: string;
  version: TargetVersion;
  kinds: CustomKind[];
  crds: number;
}

export function validationFacts(facts: ClusterFacts, bundledVersions: readonly string[]): ValidationFacts {
  const kinds = facts.crds.filter(isJsonObject).flatMap((crd) => customKindsOf(crd, { uri: `cluster:${facts.context}`, docIndex: 0 }));
  return { context: facts.context, version: targetVersion(facts.version, bundledVersions), kinds, crds: facts.crds.length };
}

