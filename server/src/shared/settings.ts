/**
 * The `kgov.*` settings, declared once: the client hands the server fully defaulted values, and a test checks
 * that package.json's `contributes.configuration` is generated from this table (npm run settings).
 */
export interface KgovSettings {
  kubernetesVersion: string;
  preset: string;
  rules: Record<string, 'off' | 'info' | 'warning' | 'error'>;
  validate: { enable: boolean };
  trace: { server: 'off' | 'messages' | 'verbose' };
  cluster: { enable: boolean; context: string };
  crdCatalog: { enable: boolean; exclude: string[] };
  helm: { enable: boolean; path: string };
  kustomize: { enable: boolean; path: string };
  /** Not a setting: the client reports whether the workspace is trusted (policies and cluster need it). */
  trusted: boolean;
}

export interface SettingDeclaration {
  key: string;
  type: 'string' | 'boolean' | 'object' | 'array';
  default: unknown;
  enum?: readonly string[];
  enumDescriptions?: readonly string[];
  markdownDescription: string;
  scope: 'window' | 'resource' | 'machine-overridable';
}

export const BUNDLED_VERSIONS = ['1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36'] as const;
export const PRESETS = ['recommended', 'strict', 'all', 'pss-baseline', 'pss-restricted', 'polaris', 'kube-linter', 'kube-score'] as const;

export const SETTINGS: readonly SettingDeclaration[] = [
  {
    key: 'kgov.kubernetesVersion', type: 'string', default: '', enum: ['', ...BUNDLED_VERSIONS],
    enumDescriptions: ['From .kgov.yaml, else 1.34 (or the cluster\'s version when cluster features are on)', ...BUNDLED_VERSIONS.map((v) => `Kubernetes ${v}`)],
    markdownDescription: 'The Kubernetes version manifests are validated against (schemas, removed and deprecated APIs). Empty: `kubernetesVersion` of `.kgov.yaml`, else 1.34.',
    scope: 'resource',
  },
  {
    key: 'kgov.preset', type: 'string', default: '', enum: ['', ...PRESETS],
    enumDescriptions: ['From .kgov.yaml (`extends`), else recommended', 'Quiet, high-signal rules', 'What a production platform team enforces', 'Every rule', 'Pod Security Standards: baseline', 'Pod Security Standards: restricted', 'What Polaris checks by default', 'What kube-linter checks by default', 'What kube-score checks by default'],
    markdownDescription: 'Which rules run. Empty: `extends` of `.kgov.yaml`, else `recommended`. See the rule list with **kgov: Open Rule Documentation**.',
    scope: 'resource',
  },
  {
    key: 'kgov.rules', type: 'object', default: {},
    markdownDescription: 'Rule severities that override the preset and `.kgov.yaml`, e.g. `{ "cpu-limits-set": "off", "image-tag-pinned": "error" }`.',
    scope: 'resource',
  },
  {
    key: 'kgov.validate.enable', type: 'boolean', default: true,
    markdownDescription: 'Validate Kubernetes YAML files as you type.',
    scope: 'resource',
  },
  {
    key: 'kgov.crdCatalog.enable', type: 'boolean', default: true,
    markdownDescription: 'Validate custom resources (Istio, Prometheus Operator, Gateway API, cert-manager, Argo, Flux and more) against the CRD schemas bundled with kgov, offline, when neither the workspace nor the cluster defines their CRD. Off: only `.kgov.yaml` `crdCatalog` and the CRDs you have count. `kgov rules --catalog` lists the kinds.',
    scope: 'resource',
  },
  {
    key: 'kgov.crdCatalog.exclude', type: 'array', default: [],
    markdownDescription: 'API groups the bundled CRD catalog does not answer for (e.g. `["monitoring.coreos.com"]` when your cluster runs another release), added to `.kgov.yaml` `crdCatalog.exclude`.',
    scope: 'resource',
  },
  {
    key: 'kgov.helm.enable', type: 'boolean', default: true,
    markdownDescription: 'Render Helm charts (folders with `Chart.yaml`) with your own `helm template` after you save one of their files, and show the findings of the rendered manifests on the template lines that wrote them. Only in a trusted workspace; helm runs without cluster access, plugins or network. Value sets per chart: `.kgov.yaml` `charts:`. Off (or untrusted): templates get one `yaml/template` info.',
    scope: 'resource',
  },
  {
    key: 'kgov.helm.path', type: 'string', default: '',
    markdownDescription: 'The `helm` binary that renders charts (empty: `helm` on PATH).',
    scope: 'machine-overridable',
  },
  {
    key: 'kgov.kustomize.enable', type: 'boolean', default: false,
    markdownDescription: 'Render kustomize folders (`kustomization.yaml`) when you open or save one of their files, and show the findings of the built resources on the files and patches they came from, besides the checks of each file. Only in a trusted workspace. Off by default: every overlay that builds on a file is built again after each save.',
    scope: 'resource',
  },
  {
    key: 'kgov.kustomize.path', type: 'string', default: '',
    markdownDescription: 'The binary that builds kustomize folders: a `kustomize` binary (`kustomize build`) or `kubectl` (`kubectl kustomize`), told apart by its name. Empty: `kubectl` on PATH.',
    scope: 'machine-overridable',
  },
  {
    key: 'kgov.trace.server', type: 'string', default: 'off', enum: ['off', 'messages', 'verbose'],
    markdownDescription: 'Traces the communication between VS Code and the kgov language server (in the **kgov** output channel).',
    scope: 'window',
  },
  {
    key: 'kgov.cluster.enable', type: 'boolean', default: false,
    markdownDescription: 'Use the cluster of your kubeconfig (`KUBECONFIG` or `~/.kube/config`): its Kubernetes version (unless `kgov.kubernetesVersion` or `.kgov.yaml` sets one) and CRDs, **kgov: Validate Against Cluster** (server-side apply dry run), and live items in the rollout checklist. Off by default; only in a trusted workspace, where credential plugins of the kubeconfig may run. kgov never reads the kubeconfig or contacts a cluster unless this is on. Refresh with **kgov: Refresh Cluster Data**.',
    scope: 'window',
  },
  {
    key: 'kgov.cluster.context', type: 'string', default: '',
    markdownDescription: 'The kubeconfig context to use (empty: the kubeconfig\'s `current-context`). Set with **kgov: Select Cluster Context**; the status bar item shows it.',
    scope: 'window',
  },
];

/** Settings with every default filled in, from whatever the client sent (which may be partial or malformed). */
export function withDefaults(raw: unknown): KgovSettings {
  const value = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const get = <T>(path: string, ok: (v: unknown) => boolean, fallback: T): T => {
    let node: unknown = value;
    for (const part of path.split('.')) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
    return ok(node) ? (node as T) : fallback;
  };
  const isString = (v: unknown) => typeof v === 'string';
  const rules = get<Record<string, unknown>>('rules', (v) => typeof v === 'object' && v !== null && !Array.isArray(v), {});
  const severities = Object.fromEntries(Object.entries(rules).filter(([, v]) => v === 'off' || v === 'info' || v === 'warning' || v === 'error')) as KgovSettings['rules'];
  return {
    kubernetesVersion: get('kubernetesVersion', isString, ''),
    preset: get('preset', (v) => v === '' || (PRESETS as readonly unknown[]).includes(v), ''),
    rules: severities,
    validate: { enable: get('validate.enable', (v) => typeof v === 'boolean', true) },
    trace: { server: get('trace.server', (v) => v === 'off' || v === 'messages' || v === 'verbose', 'off') },
    cluster: { enable: get('cluster.enable', (v) => typeof v === 'boolean', false), context: get('cluster.context', isString, '') },
    crdCatalog: {
      enable: get('crdCatalog.enable', (v) => typeof v === 'boolean', true),
      exclude: get<unknown[]>('crdCatalog.exclude', Array.isArray, []).filter(isString) as string[],
    },
    helm: { enable: get('helm.enable', (v) => typeof v === 'boolean', true), path: get('helm.path', isString, '') },
    kustomize: { enable: get('kustomize.enable', (v) => typeof v === 'boolean', false), path: get('kustomize.path', isString, '') },
    trusted: get('trusted', (v) => typeof v === 'boolean', false),
  };
}
