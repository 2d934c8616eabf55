/**
 * Presets as data: which rules are on, at which severity ('default' = the rule's defaultSeverity).
 * `all` is every rule at its default severity. A parity test checks that each preset names only existing rules.
 *
 * - recommended: quiet and high-signal. Contested practices (CPU limits, `imagePullPolicy: Always`, three
 *   replicas, digest pinning, sorted keys) are left out.
 * - strict: everything a production platform team enforces; what Polaris marks "danger" is an error here.
 * - pss-baseline / pss-restricted: exactly the Pod Security Standards controls of that level (restricted
 *   includes baseline), as errors, like the pod-security admission controller in `enforce` mode.
 * - polaris / kube-linter / kube-score: the checks that tool runs by default, at its severities, with the rule
 *   options (PRESET_OPTIONS) that reproduce its semantics (docs/migrating.md; `npm run peers` measures agreement).
 */
import type { JsonObject, Severity } from '../types';

export const PRESET_NAMES = ['recommended', 'strict', 'all', 'pss-baseline', 'pss-restricted', 'polaris', 'kube-linter', 'kube-score'] as const;
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
  // Rollout and rollback.
  'argo-rollout-canary-analysis': 'default',
  'flagger-canary-metrics': 'default',
  'liveness-without-startup-probe': 'default',
  'max-unavailable-bounded': 'default',
  'progress-deadline-vs-readiness': 'default',
  'revision-history-limit': 'default',
  'statefulset-ondelete': 'default',
  'termination-grace-vs-prestop': 'default',
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
  // Rollout and rollback: what needs a decision per workload (how long to wait, how often to retry).
  'argo-rollout-bluegreen-analysis': 'default',
  'config-change-rollout': 'default',
  'job-backoff-and-deadline': 'default',
  'min-ready-seconds': 'default',
  'prestop-drain': 'default',
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

/** Polaris' default configuration (pkg/config/default.yaml): "danger" is an error, "warning" a warning. */
const POLARIS: PresetEntries = {
  // Reliability.
  'min-replicas': 'warning', // deploymentMissingReplicas
  'priority-class-set': 'warning', // priorityClassNotSet
  'image-tag-pinned': 'error', // tagNotSpecified
  'image-pull-policy-always': 'warning', // pullPolicyNotAlways
  'readiness-probe-set': 'warning', // readinessProbeMissing
  'liveness-probe-set': 'warning', // livenessProbeMissing
  'instance-label-matches-name': 'warning', // metadataAndInstanceMismatched
  'pdb-allows-disruption': 'warning', // pdbDisruptionsIsZero
  'pdb-exists': 'warning', // missingPodDisruptionBudget
  'topology-spread-constraints': 'warning', // topologySpreadConstraint
  'hpa-max-gt-min': 'warning', // hpaMaxAvailability
  'hpa-min-replicas': 'warning', // hpaMinAvailability
  'pdb-min-available-vs-hpa': 'warning', // pdbMinAvailableGreaterThanHPAMinReplicas
  // Efficiency.
  'cpu-requests-set': 'warning',
  'cpu-limits-set': 'warning',
  'memory-requests-set': 'warning',
  'memory-limits-set': 'warning',
  // Security.
  'automount-sa-token-disabled': 'warning',
  'no-host-ipc': 'error',
  'no-host-path-volumes': 'warning',
  'no-host-process': 'warning',
  'no-host-pid': 'error',
  'linux-hardening': 'warning',
  'pod-has-networkpolicy': 'warning', // missingNetworkPolicy
  'read-only-root-filesystem': 'warning',
  'no-privilege-escalation': 'error',
  'default-proc-mount': 'warning',
  'run-as-non-root': 'error', // runAsRootAllowed
  'no-privileged-container': 'error',
  'no-dangerous-capabilities': 'error',
  'drop-all-capabilities': 'warning', // insecureCapabilities
  'no-host-network': 'error',
  'no-host-ports': 'warning',
  'ingress-tls': 'warning', // tlsSettingsMissing
  'no-secrets-in-env': 'error', // sensitiveContainerEnvVar
  'no-sensitive-configmap-data': 'error',
  'no-pod-exec-attach': 'error', // the five *PodExecAttach checks
  'no-cluster-admin-binding': 'error', // the three *ClusterAdmin* checks
};

/** kube-linter's checks enabled by default (docs/generated/checks.md); every report fails `kube-linter lint`. */
const KUBE_LINTER: PresetEntries = {
  'service-selects-pods': 'error', // dangling-service
  'no-deprecated-service-account-field': 'error',
  'no-docker-socket-mount': 'error', // docker-sock
  'drop-net-raw': 'error', // drop-net-raw-capability
  'no-duplicate-env': 'error', // duplicate-env-var
  'no-secrets-in-env': 'error', // env-var-secret
  'no-host-ipc': 'error',
  'no-host-network': 'error',
  'no-host-pid': 'error',
  'valid-target-port': 'error', // invalid-target-ports
  'job-ttl-after-finished': 'error', // job-ttl-seconds-after-finished
  'image-tag-pinned': 'error', // latest-tag
  'probe-port-exposed': 'error', // liveness-port, readiness-port, startup-port
  'selector-matches-template': 'error', // mismatching-selector
  'pod-anti-affinity': 'error', // no-anti-affinity
  'read-only-root-filesystem': 'error', // no-read-only-root-fs
  'service-account-exists': 'error', // non-existent-service-account
  'pdb-allows-disruption': 'error', // pdb-max-unavailable, pdb-min-available
  'pdb-min-available-vs-hpa': 'error', // pdb-min-available, for autoscaled workloads
  'pdb-unhealthy-pod-eviction-policy': 'error',
  'no-privilege-escalation': 'error', // privilege-escalation-container
  'no-privileged-container': 'error', // privileged-container
  'run-as-non-root': 'error',
  'no-host-path-volumes': 'error', // sensitive-host-mounts
  'no-ssh-port': 'error',
  'safe-sysctls-only': 'error', // unsafe-sysctls
  'cpu-requests-set': 'error', // unset-cpu-requirements
  'memory-limits-set': 'error', // unset-memory-requirements
};

/** kube-score's checks that are not optional (RegisterOptional*): a critical grade is an error, a warning grade a warning. */
const KUBE_SCORE: PresetEntries = {
  'cpu-limits-set': 'error', // container-resources
  'cpu-requests-set': 'error',
  'memory-limits-set': 'error',
  'memory-requests-set': 'error',
  'image-tag-pinned': 'error', // container-image-tag
  'image-pull-policy-always': 'error', // container-image-pull-policy
  'ephemeral-storage-set': 'error', // container-ephemeral-storage-request-and-limit
  'no-duplicate-env': 'error', // environment-variable-key-duplication
  'cronjob-deadline': 'error', // cronjob-has-deadline
  'restart-policy-valid': 'error', // cronjob-restartpolicy
  'rolling-update-strategy': 'warning', // deployment-strategy
  'min-replicas': 'warning', // deployment-replicas
  'pdb-exists': 'error', // deployment-has-poddisruptionbudget, statefulset-has-poddisruptionbudget
  'pdb-has-policy': 'error', // poddisruptionbudget-has-policy
  'hpa-target-exists': 'error', // horizontalpodautoscaler-has-target
  'hpa-min-replicas': 'warning', // horizontalpodautoscaler-replicas
  'ingress-backend-exists': 'error', // ingress-targets-service
  'label-values-valid': 'error', // label-values
  'pod-has-networkpolicy': 'error', // pod-networkpolicy
  'networkpolicy-selects-pods': 'error', // networkpolicy-targets-pod
  'topology-spread-constraints': 'error', // pod-topology-spread-constraints
  'readiness-probe-set': 'error', // pod-probes
  'liveness-probe-set': 'warning', // pod-probes
  'probes-not-identical': 'error', // pod-probes-identical
  'high-uid-gid': 'error', // container-security-context-user-group-id
  'no-privileged-container': 'error', // container-security-context-privileged
  'read-only-root-filesystem': 'error', // container-security-context-readonlyrootfilesystem
  'service-selects-pods': 'error', // service-targets-pod
  'service-type-allowed': 'warning', // service-type
  'pod-anti-affinity': 'warning', // deployment-has-host-podantiaffinity, statefulset-has-host-podantiaffinity
  'no-replicas-with-hpa': 'error', // deployment-targeted-by-hpa-does-not-have-replicas-configured
  'statefulset-service-name': 'error', // statefulset-has-servicename
  'selector-matches-template': 'error', // *-pod-selector-labels-match-template-metadata-labels
};

export const PRESETS: Record<Exclude<PresetName, 'all'>, PresetEntries> = {
  recommended: RECOMMENDED,
  strict: STRICT,
  'pss-baseline': PSS_BASELINE,
  'pss-restricted': PSS_RESTRICTED,
  polaris: POLARIS,
  'kube-linter': KUBE_LINTER,
  'kube-score': KUBE_SCORE,
};

/**
 * Rule options a preset sets (under `.kgov.yaml` options, over the rule's defaults): the peer's semantics where
 * they differ from kgov's own defaults.
 */
export const PRESET_OPTIONS: Partial<Record<PresetName, Record<string, JsonObject>>> = {
  polaris: {
    // Polaris leaves the cluster's own roles and bindings alone, and fails a binding whose role is missing.
    'no-pod-exec-attach': { requireDefined: true, exemptNames: ['system:*', 'gce:podsecuritypolicy:calico-sa', 'cluster-admin', 'admin', 'edit'] },
    'no-cluster-admin-binding': { exemptNames: ['system:*', 'gce:podsecuritypolicy:calico-sa'] },
    'pdb-exists': { minReplicas: 1 },
    'topology-spread-constraints': { minReplicas: 1, presenceOnly: true },
    'pod-has-networkpolicy': { requireEgress: true, requireRules: true },
    'pdb-min-available-vs-hpa': { aboveMinimumOnly: true, unsetMinReplicas: false },
    'no-secrets-in-env': { reportPlaceholders: true },
    'no-sensitive-configmap-data': { reportPlaceholders: true },
    'drop-all-capabilities': { equivalentDrops: true },
    'hpa-min-replicas': { unsetMinReplicas: false },
    'image-pull-policy-always': { explicit: true },
    'instance-label-matches-name': { required: true },
  },
  'kube-linter': {},
  'kube-score': {
    'pdb-exists': { unsetReplicas: true },
    'pod-has-networkpolicy': { requireEgress: true },
    'readiness-probe-set': { perPod: true, serviceTargetsOnly: true },
    'liveness-probe-set': { perPod: true, serviceTargetsOnly: true },
    'cpu-requests-set': { explicit: true },
    'memory-requests-set': { explicit: true },
    'ephemeral-storage-set': { explicit: true },
    'pod-anti-affinity': { unsetReplicas: true },
  },
};
