/**
 * Every rule is whole (DESIGN §10, aesthetics §9.2): one file whose name is its id, an entry in the sorted
 * index, docs, at least two valid and two invalid fixtures, a .fixed.yaml exactly when it is fixable, and a
 * declared place in every preset (in it, or left out with a reason below). Every built-in id a manifest can
 * trigger has valid and invalid fixtures too. The rule docs are generated and must not be stale (npm test
 * regenerates them and the rule index first: scripts/test.mjs).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG } from '../server/src/engine/config/config';
import { PRESETS } from '../server/src/engine/config/presets';
import { createEngine } from '../server/src/engine/engine';
import { BUILTINS, UMBRELLAS } from '../server/src/engine/registry/builtins';
import { RULES } from '../server/src/engine/rules';
import { aliasList } from '../server/src/engine/rule';
import { schemasDir } from '../server/src/host/paths';
import { fixtureFolders, fixtureNames } from './helpers/fixture-folders';

const root = resolve(__dirname, '..');
const CATALOG = resolve(root, '../shared/rule-catalog.md');
const ruleFiles = readdirSync(join(root, 'server/src/engine/rules'))
  .filter((n) => n.endsWith('.ts') && n !== 'index.ts')
  .map((n) => n.slice(0, -3));

/**
 * Presets list rule ids by hand (server/src/engine/config/presets.ts). A new rule must be placed in each of them
 * on purpose: added to the preset, or listed here with the reason it stays out (the reasons follow presets.ts:
 * strict leaves out opt-in checks; recommended leaves out contested practices and what needs work to satisfy).
 */
const OUTSIDE_STRICT: Record<string, string> = {
  'cpu-limits-set': 'CPU limits are a contested practice (throttling): opt-in',
  'dns-config-options': 'cluster-specific resolver tuning: opt-in',
  'node-affinity': 'where pods may run is a cluster decision: opt-in',
  'requests-equal-limits': 'Guaranteed QoS everywhere is a choice, not a baseline: opt-in',
  'required-email-annotation': 'an organisation convention that needs configuring: opt-in',
  'required-owner-label': 'an organisation convention that needs configuring: opt-in',
  'resources-within-bounds': 'checks nothing until bounds are configured: opt-in',
  'sorted-keys': 'style, not correctness: opt-in',
};
const STRICT_ONLY = 'needs some work to satisfy: strict, not recommended';
const OUTSIDE_RECOMMENDED: Record<string, string> = {
  ...OUTSIDE_STRICT,
  'automount-sa-token-disabled': STRICT_ONLY,
  'capabilities-baseline': 'recommended has no-dangerous-capabilities; the baseline allowlist is stricter: strict and pss-*',
  'cronjob-deadline': STRICT_ONLY,
  'drop-all-capabilities': STRICT_ONLY,
  'drop-net-raw': STRICT_ONLY,
  'ephemeral-storage-set': STRICT_ONLY,
  'high-uid-gid': STRICT_ONLY,
  'hpa-min-replicas': STRICT_ONLY,
  'image-digest-pinned': 'digest pinning is contested (recommended asks for a pinned tag instead): strict',
  'image-pull-policy-always': 'imagePullPolicy: Always is contested: strict',
  'ingress-tls': STRICT_ONLY,
  'instance-label-matches-name': STRICT_ONLY,
  'limit-pod-create': STRICT_ONLY,
  'limit-secret-access': STRICT_ONLY,
  'linux-hardening': STRICT_ONLY,
  'liveness-probe-set': 'readiness-probe-set is the recommended one: strict',
  'min-replicas': 'replica counts are contested ("three replicas"): strict',
  'no-default-namespace': STRICT_ONLY,
  'no-default-service-account': STRICT_ONLY,
  'no-host-path-volumes': 'recommended has no-docker-socket-mount and no-writable-host-mount; any hostPath is strict and pss-*',
  'no-privileged-ports': STRICT_ONLY,
  'no-root-group': STRICT_ONLY,
  'pdb-exists': STRICT_ONLY,
  'pdb-unhealthy-pod-eviction-policy': STRICT_ONLY,
  'pod-has-networkpolicy': STRICT_ONLY,
  'priority-class-set': STRICT_ONLY,
  'read-only-root-filesystem': STRICT_ONLY,
  'restricted-volume-types': STRICT_ONLY,
  'rolling-update-strategy': STRICT_ONLY,
  'seccomp-profile-required': 'recommended has seccomp-not-unconfined; requiring a profile is strict and pss-restricted',
  'service-type-allowed': STRICT_ONLY,
  'topology-spread-constraints': STRICT_ONLY,
  'argo-rollout-bluegreen-analysis': 'automatic promotion is the Argo Rollouts default and a choice; asking for analysis is strict',
  'config-change-rollout': 'information: some applications reload their mounted config themselves: strict',
  'job-backoff-and-deadline': 'the defaults (6 retries, no deadline) suit many Jobs; choosing values is work: strict',
  'min-ready-seconds': STRICT_ONLY,
  'prestop-drain': 'how long endpoints take to drain depends on the load balancers: strict',
};

/** Pod Security Standards checks by level (pod-security-admission policy/check_*.go), as named in `aliases.pss`. */
const PSS_BASELINE_CHECKS = ['appArmorProfile', 'capabilities_baseline', 'hostNamespaces', 'hostPathVolumes', 'hostPorts', 'hostProbesAndHostLifecycle',
  'privileged', 'procMount', 'seccompProfile_baseline', 'seLinuxOptions', 'sysctls', 'windowsHostProcess'];
const PSS_RESTRICTED_CHECKS = ['allowPrivilegeEscalation', 'capabilities_restricted', 'procMount_restricted', 'restrictedVolumes', 'runAsNonRoot', 'runAsUser', 'seccompProfile_restricted'];
/** As in pod-security-admission, the restricted seccomp check replaces the baseline one. */
const REPLACED_UNDER_RESTRICTED = ['seccompProfile_baseline'];

/** Built-in ids without fixtures: no single manifest file can trigger them through the engine. */
const BUILTINS_WITHOUT_FIXTURES: Record<string, string> = {
  'cluster/dry-run': 'the answer of a live cluster (test/cluster, test/cli/cluster.test.ts)',
  'cluster/dry-run-warning': 'the answer of a live cluster (test/cluster, test/cli/cluster.test.ts)',
  'config/invalid': 'reports .kgov.yaml and policy files, not manifests (test/unit/config.test.ts, test/cli/cli-config.test.ts)',
  'kgov/internal-error': 'a rule that throws; no valid rule does on a fixture (test/unit/run-rules.test.ts)',
  'yaml/encoding': 'the file reader reports it before the engine sees text (test/cli/cli.test.ts)',
  'helm/render-error': 'what the real helm answers on a broken chart (test/render/helm.test.ts)',
  'helm/missing-dependencies': 'what the real helm answers on a chart without its dependencies (test/render/helm.test.ts)',
  'kustomize/build-error': 'what the real kustomize answers on an overlay that does not build (test/render/kustomize.test.ts)',
};

describe('rule parity', () => {
  it('every rule file is in the index, under its own id, and the index is sorted', () => {
    assert.deepEqual(Object.keys(RULES), [...ruleFiles].sort());
    const index = readFileSync(join(root, 'server/src/engine/rules/index.ts'), 'utf8');
    const keys = [...index.matchAll(/^\s+'([a-z0-9-]+)': /gm)].map((m) => m[1]);
    assert.deepEqual(keys, [...keys].sort(), 'rules/index.ts is sorted');
    for (const [id, rule] of Object.entries(RULES)) assert.equal(rule.meta.id, id);
  });

  for (const [id, rule] of Object.entries(RULES)) {
    it(`${id} has metadata, docs and fixtures`, () => {
      const { meta } = rule;
      assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(meta.docs.url.endsWith(`/${id}.md`), 'docs.url points at its page');
      assert.ok(meta.docs.summary.endsWith('.') && meta.docs.rationale.endsWith('.'), 'summary and rationale are sentences');
      assert.ok(meta.messages.pass, 'a pass message (the checklist line)');
      assert.ok(Object.keys(meta.messages).length >= 2, 'at least one failure message');
      assert.ok(existsSync(join(root, `docs/rules/${id}.md`)), 'docs/rules/<id>.md');
      if (meta.options) assert.ok(meta.defaultOptions, 'options come with defaultOptions');
      const dir = join(root, 'test/rules', id);
      assert.ok(existsSync(dir), `test/rules/${id}/`);
      const { valid, invalid, fixed } = fixtureNames(dir);
      assert.ok(valid.length >= 2, 'at least two valid fixtures');
      assert.ok(invalid.length >= 2, 'at least two invalid fixtures');
      assert.equal(fixed.length > 0, meta.fixable === true, 'a .fixed.yaml exactly when the rule is fixable');
      for (const f of fixed) assert.ok(invalid.includes(f.replace('.fixed.yaml', '.yaml')), `${f} has its invalid fixture`);
    });
  }

  it('presets name only existing rules', () => {
    for (const [name, entries] of Object.entries(PRESETS)) {
      for (const id of Object.keys(entries)) assert.ok(RULES[id], `preset ${name} names unknown rule ${id}`);
    }
  });

  it('every rule is in the all preset', () => {
    const engine = createEngine({ schemasDir: schemasDir(), config: DEFAULT_CONFIG, preset: 'all' });
    assert.deepEqual(Object.keys(RULES).filter((id) => engine.severityOf(id) === 'off'), []);
  });

  for (const [preset, outside] of [['recommended', OUTSIDE_RECOMMENDED], ['strict', OUTSIDE_STRICT]] as const) {
    it(`every rule is in the ${preset} preset or left out of it with a reason`, () => {
      const entries = PRESETS[preset];
      const forgotten = Object.keys(RULES).filter((id) => !entries[id] && !outside[id]);
      assert.deepEqual(forgotten, [], `add them to ${preset} in server/src/engine/config/presets.ts, or to the list of rules outside ${preset} in test/parity.test.ts with the reason`);
      assert.deepEqual(Object.keys(outside).filter((id) => entries[id]), [], `in ${preset} and listed as outside it`);
      assert.deepEqual(Object.keys(outside).filter((id) => !RULES[id]), [], 'listed as outside a preset but not a rule');
      for (const [id, reason] of Object.entries(outside)) assert.ok(reason.length > 10, `give the reason ${id} is outside ${preset}`);
    });
  }

  it('strict includes recommended', () => {
    assert.deepEqual(Object.keys(PRESETS.recommended).filter((id) => !PRESETS.strict[id]), []);
  });

  it('the pss presets are exactly the rules whose aliases.pss names a check of that level', () => {
    const known = [...PSS_BASELINE_CHECKS, ...PSS_RESTRICTED_CHECKS];
    const checks = (id: string) => aliasList(RULES[id]?.meta.aliases?.pss);
    for (const id of Object.keys(RULES)) for (const check of checks(id)) assert.ok(known.includes(check), `${id}: unknown Pod Security Standards check "${check}"`);
    const baseline = Object.keys(RULES).filter((id) => checks(id).some((c) => PSS_BASELINE_CHECKS.includes(c))).sort();
    const restricted = Object.keys(RULES).filter((id) => checks(id).some((c) => !REPLACED_UNDER_RESTRICTED.includes(c))).sort();
    assert.deepEqual(Object.keys(PRESETS['pss-baseline']).sort(), baseline, 'pss-baseline');
    assert.deepEqual(Object.keys(PRESETS['pss-restricted']).sort(), restricted, 'pss-restricted');
  });

  for (const builtin of BUILTINS) {
    const reason = BUILTINS_WITHOUT_FIXTURES[builtin.id];
    it(`built-in ${builtin.id} has fixtures`, { skip: reason }, () => {
      const dir = join(root, 'test/rules', builtin.id);
      assert.ok(existsSync(dir), `test/rules/${builtin.id}/`);
      const { valid, invalid, fixed } = fixtureNames(dir);
      assert.ok(valid.length >= 1, 'at least one valid fixture');
      assert.ok(invalid.length >= 1, 'at least one invalid fixture');
      for (const f of fixed) assert.ok(invalid.includes(f.replace('.fixed.yaml', '.yaml')), `${f} has its invalid fixture`);
    });
  }

  it('every fixture folder is a rule or a built-in id, and the list of built-ins without fixtures is current', () => {
    const ids = new Set([...Object.keys(RULES), ...BUILTINS.map((b) => b.id)]);
    assert.deepEqual(fixtureFolders().map((f) => f.id).filter((id) => !ids.has(id)), []);
    assert.deepEqual(Object.keys(BUILTINS_WITHOUT_FIXTURES).filter((id) => !BUILTINS.some((b) => b.id === id) || existsSync(join(root, 'test/rules', id))), []);
  });

  it('docs/rules has a page for every rule and built-in id, and no other', () => {
    const pages = (dir: string, prefix = ''): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? pages(join(dir, e.name), `${prefix}${e.name}/`) : e.name.endsWith('.md') && e.name !== 'README.md' ? [`${prefix}${e.name.slice(0, -3)}`] : []);
    const ids = [...Object.keys(RULES), ...BUILTINS.map((b) => b.id), ...UMBRELLAS.map((u) => u.id)].sort();
    assert.deepEqual(pages(join(root, 'docs/rules')).sort(), ids, 'a page of a removed rule is left over (delete it)');
  });

  it('every id of the shared rule catalog is a rule or a built-in umbrella', { skip: !existsSync(CATALOG) && 'needs ../shared/rule-catalog.md' }, () => {
    const catalogIds = [...readFileSync(CATALOG, 'utf8').matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1] as string);
    assert.ok(catalogIds.length >= 90, `read ${catalogIds.length} catalog ids`);
    const known = new Set([...Object.keys(RULES), ...UMBRELLAS.map((u) => u.id)]);
    assert.deepEqual(catalogIds.filter((id) => !known.has(id)), []);
  });

  it('package.json contributes the settings the server declares (npm run settings)', () => {
    const result = spawnSync('npx', ['tsx', 'scripts/generate-manifest.ts', '--check'], { cwd: root, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  });

  it('the rule docs are up to date (npm run docs)', () => {
    const result = spawnSync('npx', ['tsx', 'scripts/generate-docs.ts', '--check'], { cwd: root, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  });
});
