/**
 * Fields the OpenAPI documents mark required but the API server accepts absent.
 *
 * The OpenAPI `required` lists come from Go JSON tags: a field without `omitempty` or `+optional` is "required".
 * The API server, though, only rejects what its validation code rejects (pkg/apis/<group>/validation, after
 * defaulting). For the fields below an absent value (nil list, "", 0, false, empty struct) passes validation, so
 * kgov must not report them as missing. scripts/generate-schemas.ts removes them from the `required` lists it
 * emits; every entry must match a required field of at least one bundled version (the generator fails otherwise).
 *
 * Each entry was checked against the validation code (and the defaulting that runs before it) of the tag in its
 * source. A field only goes here with evidence that the server accepts it absent; fields whose validation could
 * not be read stay required. test/unit/generator.test.ts holds one manifest per entry; docs/required-fields-audit.md
 * lists every required field examined (539) with its verdict and evidence.
 */

export interface NotEnforcedField {
  /** The property name in the definition's `required` list. */
  field: string;
  /** One sentence: why the server accepts the field absent. */
  reason: string;
  /** Where that is visible: repository, path, function, tag. */
  source: string;
  /** First Kubernetes minor ("1.33") whose API server accepts the field absent; every bundled version when left out. */
  since?: string;
}

const K = 'kubernetes/kubernetes';
const CORE = `${K} pkg/apis/core/validation/validation.go`;
const RESOURCE = `${K} pkg/apis/resource/validation/validation.go`;

const claimSpec = (apiVersion: string): Record<string, NotEnforcedField[]> => ({
  [`io.k8s.api.resource.${apiVersion}.ResourceClaim`]: [{
    field: 'spec',
    reason: 'validateResourceClaimSpec only checks the device requests that are present, and a claim without requests is valid (nothing needs to be allocated).',
    source: `${RESOURCE} ValidateResourceClaim/validateDeviceClaim @ v1.34.0`,
  }],
  [`io.k8s.api.resource.${apiVersion}.ResourceClaimTemplate`]: [{
    field: 'spec',
    reason: 'validateResourceClaimTemplateSpec only checks the template labels and annotations and the claim spec, and an empty claim (no requests) is valid.',
    source: `${RESOURCE} ValidateResourceClaimTemplate/validateResourceClaimTemplateSpec @ v1.34.0`,
  }],
  [`io.k8s.api.resource.${apiVersion}.ResourceClaimTemplateSpec`]: [{
    field: 'spec',
    reason: 'validateResourceClaimSpec only checks the device requests that are present, and a claim without requests is valid (nothing needs to be allocated).',
    source: `${RESOURCE} validateResourceClaimTemplateSpec/validateDeviceClaim @ v1.34.0`,
  }],
  [`io.k8s.api.resource.${apiVersion}.DeviceClass`]: [{
    field: 'spec',
    reason: 'validateDeviceClassSpec only checks selectors, config and extendedResourceName when they are set, so an empty spec passes.',
    source: `${RESOURCE} ValidateDeviceClass/validateDeviceClassSpec @ v1.34.0`,
  }],
  [`io.k8s.api.resource.${apiVersion}.ResourcePool`]: [{
    field: 'generation',
    reason: 'validateResourcePool only rejects a negative generation; 0 is the first generation.',
    source: `${RESOURCE} validateResourcePool @ v1.34.0`,
  }],
});

export const REQUIRED_NOT_ENFORCED: Record<string, NotEnforcedField[]> = {
  'io.k8s.api.discovery.v1.EndpointSlice': [{
    field: 'endpoints',
    reason: 'validateEndpoints only caps the list at 1000 entries and checks the entries present, so a missing or empty list passes (the EndpointSlice controller writes endpoints: null for services without endpoints).',
    source: `${K} pkg/apis/discovery/validation/validation.go ValidateEndpointSlice/validateEndpoints @ v1.34.0`,
  }],
  'io.k8s.api.discovery.v1.ForZone': [{
    field: 'name',
    reason: 'validateHints checks forZones[].name with IsValidLabelValue, which accepts the empty string.',
    source: `${K} pkg/apis/discovery/validation/validation.go validateHints @ v1.34.0`,
  }],
  'io.k8s.api.storage.v1.CSINode': [{
    field: 'spec',
    reason: 'ValidateCSINode only validates the drivers listed in spec, so an absent spec (no drivers) passes; the kubelet itself registers CSINodes with drivers: null.',
    source: `${K} pkg/apis/storage/validation/validation.go ValidateCSINode/validateCSINodeDrivers @ v1.34.0`,
  }],
  'io.k8s.api.storage.v1.CSINodeSpec': [{
    field: 'drivers',
    reason: 'validateCSINodeDrivers only checks the entries present, so a missing or empty list passes; the kubelet itself registers CSINodes with drivers: null.',
    source: `${K} pkg/apis/storage/validation/validation.go validateCSINodeSpec/validateCSINodeDrivers @ v1.34.0`,
  }],
  'io.k8s.api.storage.v1.CSIDriver': [{
    field: 'spec',
    reason: 'SetDefaults_CSIDriver fills every field validateCSIDriverSpec requires (attachRequired, podInfoOnMount, storageCapacity, seLinuxMount) before validation, so a CSIDriver without spec is accepted.',
    source: `${K} pkg/apis/storage/v1/defaults.go SetDefaults_CSIDriver + pkg/apis/storage/validation/validation.go validateCSIDriverSpec @ v1.34.0`,
  }],
  'io.k8s.api.storage.v1.TokenRequest': [{
    field: 'audience',
    reason: 'validateTokenRequests only rejects duplicate audiences and out-of-range expirationSeconds; one token request may leave the audience empty to get the API server\'s own audiences.',
    source: `${K} pkg/apis/storage/validation/validation.go validateTokenRequests @ v1.34.0`,
  }],
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionVersion': [
    {
      field: 'served',
      reason: 'A boolean whose zero value is valid: validateCustomResourceDefinitionSpec has no per-version check on served, a version may be left unserved.',
      source: 'kubernetes/apiextensions-apiserver pkg/apis/apiextensions/validation/validation.go validateCustomResourceDefinitionSpec @ v1.34.0',
    },
    {
      field: 'storage',
      reason: 'A boolean whose zero value is valid: only the spec-wide rule "exactly one version marked as storage version" applies, so the other versions may omit it.',
      source: 'kubernetes/apiextensions-apiserver pkg/apis/apiextensions/validation/validation.go validateCustomResourceDefinitionSpec @ v1.34.0',
    },
  ],
  'io.k8s.api.core.v1.LimitRangeSpec': [{
    field: 'limits',
    reason: 'ValidateLimitRange only validates the items of spec.limits, so a missing or empty list passes.',
    source: `${CORE} ValidateLimitRange @ v1.34.0`,
  }],
  'io.k8s.api.batch.v1.PodFailurePolicy': [{
    field: 'rules',
    reason: 'validatePodFailurePolicy only caps the list at 20 rules and checks the rules present, so a missing or empty list passes.',
    source: `${K} pkg/apis/batch/validation/validation.go validatePodFailurePolicy @ v1.34.0`,
  }],
  'io.k8s.api.batch.v1.PodFailurePolicyOnPodConditionsPattern': [{
    field: 'status',
    reason: 'SetDefaults_Job sets a missing status to True before validation (for a CronJob\'s jobTemplate only since kubernetes/kubernetes#131525, v1.34).',
    source: `${K} pkg/apis/batch/v1/defaults.go SetDefaults_Job/SetDefaults_CronJob @ v1.34.0`,
  }],
  'io.k8s.api.batch.v1.PodFailurePolicyRule': [{
    field: 'onPodConditions',
    reason: 'validatePodFailurePolicyRule requires exactly one of onExitCodes and onPodConditions, so a rule on exit codes omits onPodConditions (the OpenAPI marks it optional from 1.29).',
    source: `${K} pkg/apis/batch/validation/validation.go validatePodFailurePolicyRule @ v1.28.0`,
  }],
  'io.k8s.api.apps.v1.StatefulSetSpec': [{
    field: 'serviceName',
    reason: 'ValidateStatefulSetSpec never required serviceName, it only checks the format when set (marked optional in kubernetes/kubernetes#130233, OpenAPI 1.33+).',
    source: `${K} pkg/apis/apps/validation/validation.go ValidateStatefulSetSpec @ v1.32.0`,
  }],
  'io.k8s.api.networking.v1.NetworkPolicySpec': [{
    field: 'podSelector',
    reason: 'An absent podSelector is the empty selector, which selects every pod of the namespace and passes ValidateNetworkPolicySpec (marked optional in kubernetes/kubernetes#131354, OpenAPI 1.34+).',
    source: `${K} pkg/apis/networking/validation/validation.go ValidateNetworkPolicySpec @ v1.33.0`,
  }],
  'io.k8s.api.apps.v1.ControllerRevision': [{
    field: 'revision',
    reason: 'ValidateControllerRevision only requires revision to be non-negative, so 0 passes.',
    source: `${K} pkg/apis/apps/validation/validation.go ValidateControllerRevision @ v1.34.0`,
  }],
  'io.k8s.api.scheduling.v1.PriorityClass': [{
    field: 'value',
    reason: 'ValidatePriorityClass only caps value at 1000000000 for user-defined classes; 0 is a valid priority.',
    source: `${K} pkg/apis/scheduling/validation/validation.go ValidatePriorityClass @ v1.34.0`,
  }],
  'io.k8s.api.core.v1.HTTPHeader': [{
    field: 'value',
    reason: 'validateHTTPGetAction only validates header names; an empty header value is accepted.',
    source: `${CORE} validateHTTPGetAction @ v1.34.0`,
  }],
  'io.k8s.api.core.v1.Sysctl': [{
    field: 'value',
    reason: 'validateSysctls checks the names (required, format, duplicates, host namespaces) but never the values.',
    source: `${CORE} validateSysctls @ v1.34.0`,
  }],
  'io.k8s.api.core.v1.ISCSIVolumeSource': [{
    field: 'lun',
    reason: 'validateISCSIVolumeSource only requires lun to be within 0-255, and 0 is the usual LUN.',
    source: `${CORE} validateISCSIVolumeSource @ v1.34.0`,
  }],
  'io.k8s.api.core.v1.ISCSIPersistentVolumeSource': [{
    field: 'lun',
    reason: 'validateISCSIPersistentVolumeSource only requires lun to be within 0-255, and 0 is the usual LUN.',
    source: `${CORE} validateISCSIPersistentVolumeSource @ v1.34.0`,
  }],
  'io.k8s.api.core.v1.ScaleIOVolumeSource': [{
    field: 'secretRef',
    reason: 'validateScaleIOVolumeSource checks gateway, system and volumeName only; secretRef is never checked.',
    source: `${CORE} validateScaleIOVolumeSource @ v1.34.0`,
  }],
  'io.k8s.api.core.v1.ScaleIOPersistentVolumeSource': [{
    field: 'secretRef',
    reason: 'validateScaleIOPersistentVolumeSource checks gateway, system and volumeName only; secretRef is never checked.',
    source: `${CORE} validateScaleIOPersistentVolumeSource @ v1.34.0`,
  }],
  'io.k8s.api.core.v1.PreferredSchedulingTerm': [{
    field: 'preference',
    reason: 'ValidatePreferredSchedulingTerms only validates the expressions of the preference term, and the empty term has none.',
    source: `${CORE} ValidatePreferredSchedulingTerms/ValidateNodeSelectorTerm @ v1.34.0`,
  }],
  'io.k8s.api.core.v1.SleepAction': [{
    field: 'seconds',
    reason: 'With PodLifecycleSleepActionAllowZero (beta and on by default in 1.33, GA in 1.34) validateSleepAction accepts 0 seconds, the value of an absent field.',
    source: `${CORE} validateSleepAction + pkg/features/kube_features.go PodLifecycleSleepActionAllowZero @ v1.34.0`,
    since: '1.33',
  }],
  'io.k8s.api.core.v1.Event': [{
    field: 'involvedObject',
    reason: 'core/v1 Events only get legacyValidateEvent, which accepts an empty involvedObject for an event in the default namespace (elsewhere the namespaces must match).',
    source: `${K} pkg/apis/core/validation/events.go ValidateEventCreate/legacyValidateEvent @ v1.34.0`,
  }],
  'io.k8s.api.rbac.v1.RoleRef': [{
    field: 'apiGroup',
    reason: 'SetDefaults_RoleBinding and SetDefaults_ClusterRoleBinding set an empty roleRef.apiGroup to rbac.authorization.k8s.io before validation.',
    source: `${K} pkg/apis/rbac/v1/defaults.go SetDefaults_RoleBinding/SetDefaults_ClusterRoleBinding @ v1.34.0`,
  }],
  'io.k8s.api.apiserverinternal.v1alpha1.StorageVersion': [
    {
      field: 'spec',
      reason: 'StorageVersionSpec is an empty struct, there is nothing to validate.',
      source: `${K} pkg/apis/apiserverinternal/validation/validation.go ValidateStorageVersion @ v1.34.0`,
    },
    {
      field: 'status',
      reason: 'validateStorageVersionStatus accepts an empty status (no storage versions, no common encoding version, no conditions).',
      source: `${K} pkg/apis/apiserverinternal/validation/validation.go ValidateStorageVersion/validateStorageVersionStatus @ v1.34.0`,
    },
  ],
  'io.k8s.apimachinery.pkg.apis.meta.v1.GroupResource': [{
    field: 'group',
    reason: 'The empty group is the core API group; ValidateStorageVersionMigration (storagemigration v1beta1, the only user of this type) only checks the group when it is set.',
    source: `${K} pkg/apis/storagemigration/validation/validation.go ValidateStorageVersionMigration @ v1.35.0`,
  }],
  ...claimSpec('v1alpha3'),
  ...claimSpec('v1beta1'),
  ...claimSpec('v1beta2'),
  ...claimSpec('v1'),
};
