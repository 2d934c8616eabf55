/** The generated Kubernetes schemas: up to date with the generator, strict, carrying enums to older versions, and without the required fields the API server does not enforce. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { REQUIRED_NOT_ENFORCED } from '../../scripts/required-not-enforced';
import { createEngine } from '../../server/src/engine/engine';
import { RULES } from '../../server/src/engine/rules';
import { SchemaCatalog } from '../../server/src/engine/schema/catalog';
import type { Finding } from '../../server/src/engine/types';
import { Workspace } from '../../server/src/engine/workspace';
import { schemasDir } from '../../server/src/host/paths';

const shared = resolve(__dirname, '../../../shared/k8s-openapi');
const catalog = new SchemaCatalog(schemasDir());

describe('schema generator', () => {
  it('regenerates exactly the committed schemas', { skip: !existsSync(shared) && 'needs ../shared/k8s-openapi' }, () => {
    const out = mkdtempSync(join(tmpdir(), 'kgov-schemas-'));
    try {
      const result = spawnSync('npx', ['tsx', 'scripts/generate-schemas.ts'], { env: { ...process.env, KGOV_SCHEMAS_OUT: out }, encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      for (const file of ['index.json', 'definitions.json', 'descriptions.json']) {
        assert.ok(readFileSync(join(out, file)).equals(readFileSync(join(schemasDir(), 'kubernetes', file))), `${file} is stale: run npm run schemas`);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('bundles 1.28 to 1.36 with 1.34 as the default', () => {
    assert.deepEqual(catalog.versions, ['1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36']);
    assert.equal(catalog.defaultVersion, '1.34');
  });

  it('knows which versions serve a kind', () => {
    assert.deepEqual(catalog.kind('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema')?.served, ['1.28', '1.29', '1.30', '1.31']);
    assert.equal(catalog.kind('policy/v1', 'PodDisruptionBudget')?.served.length, 9);
    assert.equal(catalog.kind('v1', 'Pod')?.namespaced, true);
    assert.equal(catalog.kind('v1', 'Namespace')?.namespaced, false);
    assert.equal(catalog.listItem('v1', 'ConfigMapList'), 'v1/ConfigMap');
  });

  it('uses the enum lists of newer versions for older ones', () => {
    const container = (version: string) => catalog.definitionsFor(version).get('io.k8s.api.core.v1.Container') as { properties: Record<string, { enum?: string[] }> };
    assert.deepEqual(container('1.28').properties.imagePullPolicy?.enum, ['Always', 'IfNotPresent', 'Never']);
    assert.deepEqual(container('1.36').properties.imagePullPolicy?.enum, ['Always', 'IfNotPresent', 'Never']);
  });

  it('is strict: every object with properties rejects unknown ones', () => {
    for (const version of catalog.versions) {
      for (const [name, schema] of catalog.definitionsFor(version)) {
        const s = schema as { properties?: object; additionalProperties?: unknown };
        if (s.properties) assert.notEqual(s.additionalProperties, undefined, `${version} ${name}`);
      }
    }
  });

  it('accepts what the API server accepts for int-or-string and quantities', () => {
    const defs = catalog.definitionsFor('1.34');
    assert.deepEqual(defs.get('io.k8s.apimachinery.pkg.util.intstr.IntOrString'), { type: ['integer', 'string'] });
    assert.deepEqual(defs.get('io.k8s.apimachinery.pkg.api.resource.Quantity'), { type: ['string', 'number'], format: 'quantity' });
  });

  it('shares definitions between versions (the package stays small)', () => {
    const bytes = ['index.json', 'definitions.json'].reduce((n, f) => n + readFileSync(join(schemasDir(), 'kubernetes', f)).length, 0);
    assert.ok(bytes < 1_000_000, `${bytes} bytes`);
  });
});

const RULES_OFF = Object.keys(RULES).map((id) => ({ id, severity: 'off' as const }));

/** The schema findings of one manifest, every rule module off. */
function schemaFindings(yaml: string, kubernetesVersion = '1.34'): Finding[] {
  const engine = createEngine({ schemasDir: schemasDir(), kubernetesVersion, ruleOverrides: RULES_OFF });
  return engine.lint('/virtual/manifest.yaml', yaml, new Workspace()).filter((f) => f.ruleId.startsWith('schema/'));
}

const describeFindings = (findings: Finding[]) => findings.map((f) => `${f.ruleId}: ${f.message}`).join('\n');

/** The pod template of a Job that passes the schema. */
const JOB_POD = `
    spec:
      restartPolicy: Never
      containers:
        - name: main
          image: busybox:1.36
`;

/** A Pod that passes the schema, with indented YAML appended to its container and to its spec. */
const pod = (containerExtra = '', specExtra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: demo
spec:
  containers:
    - name: main
      image: busybox:1.36
${containerExtra}${specExtra}`;

/** A Job that passes the schema, with `podFailurePolicy` (indented YAML) in its spec. */
const job = (podFailurePolicy: string) => `apiVersion: batch/v1
kind: Job
metadata:
  name: demo
spec:
${podFailurePolicy}
  template:${JOB_POD}`;

/** A manifest (and the Kubernetes version to check it against) that leaves out one field of the table. */
interface Case {
  yaml: string;
  version?: string;
}

const draCases = (apiVersion: string, version: string): Record<string, Case> => ({
  [`io.k8s.api.resource.${apiVersion}.DeviceClass spec`]: { version, yaml: `apiVersion: resource.k8s.io/${apiVersion}\nkind: DeviceClass\nmetadata:\n  name: gpu.example.com\n` },
  [`io.k8s.api.resource.${apiVersion}.ResourceClaim spec`]: { version, yaml: `apiVersion: resource.k8s.io/${apiVersion}\nkind: ResourceClaim\nmetadata:\n  name: nothing\n` },
  [`io.k8s.api.resource.${apiVersion}.ResourceClaimTemplate spec`]: { version, yaml: `apiVersion: resource.k8s.io/${apiVersion}\nkind: ResourceClaimTemplate\nmetadata:\n  name: nothing\n` },
  [`io.k8s.api.resource.${apiVersion}.ResourceClaimTemplateSpec spec`]: { version, yaml: `apiVersion: resource.k8s.io/${apiVersion}\nkind: ResourceClaimTemplate\nmetadata:\n  name: nothing\nspec:\n  metadata:\n    labels:\n      app: demo\n` },
  [`io.k8s.api.resource.${apiVersion}.ResourcePool generation`]: {
    version,
    yaml: `apiVersion: resource.k8s.io/${apiVersion}\nkind: ResourceSlice\nmetadata:\n  name: node-1-gpu\nspec:\n  driver: gpu.example.com\n  nodeName: node-1\n  pool:\n    name: node-1\n    resourceSliceCount: 1\n`,
  },
});

/** One case per entry of scripts/required-not-enforced.ts ("<definition> <field>"). */
const NOT_ENFORCED_CASES: Record<string, Case> = {
  'io.k8s.api.discovery.v1.EndpointSlice endpoints': {
    yaml: `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-abc12
addressType: IPv4
ports:
  - name: http
    port: 80
    protocol: TCP
`,
  },
  'io.k8s.api.discovery.v1.ForZone name': {
    yaml: `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-abc12
addressType: IPv4
endpoints:
  - addresses: [10.0.0.1]
    hints:
      forZones:
        - {}
`,
  },
  'io.k8s.api.storage.v1.CSINode spec': { yaml: 'apiVersion: storage.k8s.io/v1\nkind: CSINode\nmetadata:\n  name: node-1\n' },
  'io.k8s.api.storage.v1.CSINodeSpec drivers': { yaml: 'apiVersion: storage.k8s.io/v1\nkind: CSINode\nmetadata:\n  name: node-1\nspec: {}\n' },
  'io.k8s.api.storage.v1.CSIDriver spec': { yaml: 'apiVersion: storage.k8s.io/v1\nkind: CSIDriver\nmetadata:\n  name: csi.example.com\n' },
  'io.k8s.api.storage.v1.TokenRequest audience': {
    yaml: 'apiVersion: storage.k8s.io/v1\nkind: CSIDriver\nmetadata:\n  name: csi.example.com\nspec:\n  tokenRequests:\n    - expirationSeconds: 3600\n',
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionVersion served': {
    yaml: `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names:
    kind: Widget
    plural: widgets
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
    - name: v1alpha1
      storage: false
      schema:
        openAPIV3Schema:
          type: object
`,
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionVersion storage': {
    yaml: `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names:
    kind: Widget
    plural: widgets
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
    - name: v1alpha1
      served: true
      schema:
        openAPIV3Schema:
          type: object
`,
  },
  'io.k8s.api.core.v1.LimitRangeSpec limits': { yaml: 'apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: none\nspec: {}\n' },
  'io.k8s.api.batch.v1.PodFailurePolicy rules': { yaml: job('  podFailurePolicy: {}') },
  'io.k8s.api.batch.v1.PodFailurePolicyOnPodConditionsPattern status': {
    yaml: job('  podFailurePolicy:\n    rules:\n      - action: Ignore\n        onPodConditions:\n          - type: DisruptionTarget'),
  },
  'io.k8s.api.batch.v1.PodFailurePolicyRule onPodConditions': {
    version: '1.28',
    yaml: job('  podFailurePolicy:\n    rules:\n      - action: FailJob\n        onExitCodes:\n          operator: In\n          values: [42]'),
  },
  'io.k8s.api.apps.v1.StatefulSetSpec serviceName': {
    version: '1.32',
    yaml: `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: demo
spec:
  selector:
    matchLabels:
      app: demo
  template:
    metadata:
      labels:
        app: demo
    spec:
      containers:
        - name: main
          image: busybox:1.36
`,
  },
  'io.k8s.api.networking.v1.NetworkPolicySpec podSelector': {
    version: '1.33',
    yaml: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny-ingress\nspec:\n  policyTypes: [Ingress]\n',
  },
  'io.k8s.api.apps.v1.ControllerRevision revision': { yaml: 'apiVersion: apps/v1\nkind: ControllerRevision\nmetadata:\n  name: demo-1\ndata: {}\n' },
  'io.k8s.api.scheduling.v1.PriorityClass value': { yaml: 'apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: zero\ndescription: priority 0\n' },
  'io.k8s.api.core.v1.HTTPHeader value': {
    yaml: pod('      livenessProbe:\n        httpGet:\n          path: /healthz\n          port: 8080\n          httpHeaders:\n            - name: X-Probe\n'),
  },
  'io.k8s.api.core.v1.Sysctl value': { yaml: pod('', '  securityContext:\n    sysctls:\n      - name: net.ipv4.ip_forward\n') },
  'io.k8s.api.core.v1.ISCSIVolumeSource lun': {
    yaml: pod('', '  volumes:\n    - name: disk\n      iscsi:\n        targetPortal: 10.0.0.1:3260\n        iqn: iqn.2001-04.com.example:storage.disk1\n'),
  },
  'io.k8s.api.core.v1.ISCSIPersistentVolumeSource lun': {
    yaml: `apiVersion: v1
kind: PersistentVolume
metadata:
  name: disk
spec:
  capacity:
    storage: 1Gi
  accessModes: [ReadWriteOnce]
  iscsi:
    targetPortal: 10.0.0.1:3260
    iqn: iqn.2001-04.com.example:storage.disk1
`,
  },
  'io.k8s.api.core.v1.ScaleIOVolumeSource secretRef': {
    yaml: pod('', '  volumes:\n    - name: disk\n      scaleIO:\n        gateway: https://sio.example.com/api\n        system: sio\n        volumeName: vol-1\n'),
  },
  'io.k8s.api.core.v1.ScaleIOPersistentVolumeSource secretRef': {
    yaml: `apiVersion: v1
kind: PersistentVolume
metadata:
  name: disk
spec:
  capacity:
    storage: 1Gi
  accessModes: [ReadWriteOnce]
  scaleIO:
    gateway: https://sio.example.com/api
    system: sio
    volumeName: vol-1
`,
  },
  'io.k8s.api.core.v1.PreferredSchedulingTerm preference': {
    yaml: pod('', '  affinity:\n    nodeAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n        - weight: 1\n'),
  },
  'io.k8s.api.core.v1.SleepAction seconds': { yaml: pod('      lifecycle:\n        preStop:\n          sleep: {}\n') },
  'io.k8s.api.core.v1.Event involvedObject': {
    yaml: 'apiVersion: v1\nkind: Event\nmetadata:\n  name: demo.1\n  namespace: default\nreason: Demo\nmessage: an event about nothing in particular\n',
  },
  'io.k8s.api.rbac.v1.RoleRef apiGroup': {
    yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read-pods
roleRef:
  kind: Role
  name: pod-reader
subjects:
  - kind: ServiceAccount
    name: default
    namespace: default
`,
  },
  'io.k8s.api.apiserverinternal.v1alpha1.StorageVersion spec': {
    yaml: 'apiVersion: internal.apiserver.k8s.io/v1alpha1\nkind: StorageVersion\nmetadata:\n  name: apps.deployments\nstatus: {}\n',
  },
  'io.k8s.api.apiserverinternal.v1alpha1.StorageVersion status': {
    yaml: 'apiVersion: internal.apiserver.k8s.io/v1alpha1\nkind: StorageVersion\nmetadata:\n  name: apps.deployments\nspec: {}\n',
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.GroupResource group': {
    version: '1.35',
    yaml: 'apiVersion: storagemigration.k8s.io/v1beta1\nkind: StorageVersionMigration\nmetadata:\n  name: secrets\nspec:\n  resource:\n    resource: secrets\n',
  },
  ...draCases('v1alpha3', '1.33'),
  ...draCases('v1beta1', '1.34'),
  ...draCases('v1beta2', '1.34'),
  ...draCases('v1', '1.34'),
};

describe('required fields the API server does not enforce', () => {
  it('accepts an EndpointSlice without endpoints (the EndpointSlice controller writes endpoints: null)', () => {
    const findings = schemaFindings(NOT_ENFORCED_CASES['io.k8s.api.discovery.v1.EndpointSlice endpoints']?.yaml as string);
    assert.deepEqual(findings, [], describeFindings(findings));
  });

  it('still reports a Pod without containers', () => {
    const findings = schemaFindings('apiVersion: v1\nkind: Pod\nmetadata:\n  name: demo\nspec:\n  restartPolicy: Never\n');
    assert.deepEqual(findings.map((f) => [f.ruleId, f.message]), [['schema/required', 'Pod spec is missing the required field "containers"; the API server answers "spec.containers: Required value".']]);
  });

  it('still reports the required fields next to a dropped one', () => {
    const findings = schemaFindings('apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: web-abc12\n');
    assert.deepEqual(findings.map((f) => [f.ruleId, f.message]), [['schema/required', 'EndpointSlice is missing the required field "addressType"; the API server answers "addressType: Required value".']]);
    const binding = schemaFindings('apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: read-pods\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n');
    assert.deepEqual(binding.map((f) => f.message).sort(), [
      'RoleBinding roleRef is missing the required field "kind"; the API server answers "roleRef.kind: Required value".',
      'RoleBinding roleRef is missing the required field "name"; the API server answers "roleRef.name: Required value".',
    ]);
  });

  it('drops a field only from the versions whose API server accepts it absent', () => {
    const sleep = NOT_ENFORCED_CASES['io.k8s.api.core.v1.SleepAction seconds']?.yaml as string;
    assert.deepEqual(schemaFindings(sleep, '1.33'), []);
    assert.deepEqual(schemaFindings(sleep, '1.32').map((f) => f.ruleId), ['schema/required']);
  });

  it('has a case for every entry of the table, and every entry names the field it drops', () => {
    const entries = Object.entries(REQUIRED_NOT_ENFORCED).flatMap(([name, fields]) => fields.map((f) => `${name} ${f.field}`));
    assert.deepEqual(Object.keys(NOT_ENFORCED_CASES).sort(), entries.sort());
    for (const fields of Object.values(REQUIRED_NOT_ENFORCED)) {
      for (const f of fields) {
        assert.ok(f.reason.length > 30 && f.source.startsWith('kubernetes/'), `${f.field}: give a reason and a source`);
      }
    }
  });

  it('removes exactly the listed fields from the required lists', () => {
    for (const [name, fields] of Object.entries(REQUIRED_NOT_ENFORCED)) {
      for (const version of catalog.versions) {
        const schema = catalog.definitionsFor(version).get(name) as { required?: string[] } | undefined;
        for (const f of fields) {
          if (f.since !== undefined && Number(version.split('.')[1]) < Number(f.since.split('.')[1])) continue;
          assert.ok(!schema?.required?.includes(f.field), `${version} ${name} still requires ${f.field}`);
        }
      }
    }
  });

  for (const [key, c] of Object.entries(NOT_ENFORCED_CASES)) {
    it(`accepts a manifest without ${key} (${c.version ?? '1.34'})`, () => {
      const findings = schemaFindings(c.yaml, c.version);
      assert.deepEqual(findings, [], describeFindings(findings));
    });
  }
});
