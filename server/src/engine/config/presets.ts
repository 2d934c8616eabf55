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
import type { Severity } from '../types';

export const PRESET_NAMES = ['recommended', 'strict', 'all', 'pss-baseline', 'pss-restricted'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export type PresetEntries = Record<string, Severity | 'default'>;

/** The 12 baseline controls (pod-security-admission check ids in the rules' `aliases.pss`). */
const PSS_BASELINE: PresetEntries = {
  'apparmor-not-unconfined': 'error',
  'capabilities-baseline': 'error',
  'default-proc-mount': 'error',
  'no-host-ipc': 'error',
  'no-host-network': 'error',
  'no-host-path-volumes': 'error',
  'no-host-pid': 'error',
  'no-host-ports': 'error',
  'no-host-process': 'error',
  'no-privileged-container': 'error',
  'no-probe-host-override': 'error',
  'safe-sysctls-only': 'error',
  'seccomp-not-unconfined': 'error',
  'selinux-options-restricted': 'error',
};

/**
 * Restricted = baseline + the six restricted controls. As in pod-security-admission, the restricted seccomp
 * check replaces the baseline one (it also rejects Unconfined), so seccomp-not-unconfined is not repeated.
 */
const { 'seccomp-not-unconfined': _replacedBySeccompProfileRequired, ...BASELINE_UNDER_RESTRICTED } = PSS_BASELINE;
const PSS_RESTRICTED: PresetEntries = {
  ...BASELINE_UNDER_RESTRICTED,
  'drop-all-capabilities': 'error',
  'no-privilege-escalation': 'error',
  'no-root-uid': 'error',
  'restricted-volume-types': 'error',
  'run-as-non-root': 'error',
  'seccomp-profile-required': 'error',
};

/** Quiet and high-signal: what nearly every team wants on by default. */
const RECOMMENDED: PresetEntries = {
  // Security: host access, privilege, and the Pod Security Standards baseline.
  'apparmor-not-unconfined': 'default',
  'default-proc-mount': 'default',
  'no-dangerous-capabilities': 'default',
  'no-docker-socket-mount': 'default',
  'no-host-ipc': 'default',
  'no-host-network': 'default',
  'no-host-pid': 'default',
  'no-host-ports': 'default',
  'no-host-process': 'default',
  'no-privilege-escalation': 'default',
  'no-privileged-container': 'default',
  'no-probe-host-override': 'default',
  'no-root-uid': 'default',
  'no-secrets-in-env': 'default',
  'no-sensitive-configmap-data': 'default',
  'no-writable-host-mount': 'default',
  'openshift-scc-no-privileged': 'default',
  'run-as-non-root': 'default',
  'safe-sysctls-only': 'default',
  'seccomp-not-unconfined': 'default',
  'selinux-options-restricted': 'default',
  // RBAC and identity.
  'no-cluster-admin-binding': 'default',
  'no-deprecated-service-account-field': 'default',
  'no-pod-exec-attach': 'default',
  'no-wildcard-rbac': 'default',
  'service-account-exists': 'default',
  // Images and metadata.
  'allowed-registries': 'default',
  'image-tag-pinned': 'default',
  'label-values-valid': 'default',
  // Reliability.
  'env-refs-exist': 'default',
  'hpa-max-gt-min': 'default',
  'hpa-target-exists': 'default',
  'job-ttl-after-finished': 'default',
  'no-duplicate-env': 'default',
  'no-replicas-with-hpa': 'default',
  'pdb-allows-disruption': 'default',
  'pdb-has-policy': 'default',
  'pdb-min-available-vs-hpa': 'default',
  'pod-anti-affinity': 'default',
  'probe-port-exposed': 'default',
  'probes-not-identical': 'default',
  'readiness-probe-set': 'default',
  'restart-policy-valid': 'default',
  'selector-matches-template': 'default',
  'statefulset-service-name': 'default',
  // Resources.
  'cpu-requests-set': 'default',
  'memory-limits-set': 'default',
  'memory-requests-set': 'default',
  // Networking.
  'container-ports-valid': 'default',
  'ingress-backend-exists': 'default',
  'networkpolicy-selects-pods': 'default',
  'no-ssh-port': 'default',
  'service-selects-pods': 'default',
  'servicemonitor-selects-service': 'default',
  'valid-target-port': 'default',
};

/**
 * What a production platform team enforces: recommended plus the rules that need some work to satisfy, with
 * Polaris' "danger" checks as errors. Opt-in checks (sorted keys, owner labels, bounds that need configuring,
 * CPU limits, requests equal to limits, node affinity, DNS options) stay out.
 */
const STRICT: PresetEntries = {
  ...RECOMMENDED,
  'automount-sa-token-disabled': 'default',
  'capabilities-baseline': 'default',
  'cronjob-deadline': 'default',
  'drop-all-capabilities': 'default',
  'drop-net-raw': 'default',
  'ephemeral-storage-set': 'default',
  'high-uid-gid': 'default',
  'hpa-min-replicas': 'default',
  'image-digest-pinned': 'default',
  'image-pull-policy-always': 'default',
  'ingress-tls': 'default',
  'instance-label-matches-name': 'default',
  'limit-pod-create': 'default',
  'limit-secret-access': 'default',
  'linux-hardening': 'default',
  'liveness-probe-set': 'default',
  'min-replicas': 'default',
  'no-default-namespace': 'default',
  'no-default-service-account': 'default',
  'no-host-path-volumes': 'default',
  'no-privileged-ports': 'default',
  'no-root-group': 'default',
  'pdb-exists': 'default',
  'pdb-unhealthy-pod-eviction-policy': 'default',
  'pod-has-networkpolicy': 'default',
  'priority-class-set': 'default',
  'read-only-root-filesystem': 'default',
  'restricted-volume-types': 'default',
  'rolling-update-strategy': 'default',
  'seccomp-profile-required': 'default',
  'service-type-allowed': 'default',
  'topology-spread-constraints': 'default',
  // Polaris "danger" checks and their kin: errors in strict.
  'container-ports-valid': 'error',
  'image-tag-pinned': 'error',
  'ingress-backend-exists': 'error',
  'no-privilege-escalation': 'error',
  'no-root-uid': 'error',
  'no-secrets-in-env': 'error',
  'no-sensitive-configmap-data': 'error',
  'no-ssh-port': 'error',
  'no-wildcard-rbac': 'error',
  'probe-port-exposed': 'error',
  'run-as-non-root': 'error',
  'service-selects-pods': 'error',
  'servicemonitor-selects-service': 'error',
};

export const PRESETS: Record<Exclude<PresetName, 'all'>, PresetEntries> = {
  recommended: RECOMMENDED,
  strict: STRICT,
  'pss-baseline': PSS_BASELINE,
  'pss-restricted': PSS_RESTRICTED,
};
