/**
 * npm run peers: how often kgov's peer-compatible presets give the peer's own verdict on the peer's own test
 * fixtures (vendored under test/peers/<tool>/, with their license, provenance and expectations in expected.json).
 *
 * A case is one check on one fixture file, linted alone with `--preset <tool>`. kgov's verdict is "fail" when a
 * finding of a kgov id that names the check in its aliases (rules' `meta.aliases`, the umbrella ids of built-in
 * findings) is reported and not suppressed. kube-linter's cases also compare the number and kinds of reports.
 * Disagreements known and accepted are listed in KNOWN_DISAGREEMENTS with the reason (also in docs/migrating.md);
 * they count as disagreements all the same. `npm run peers -- --verbose` lists every case; `npm run peers polaris`
 * one tool.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createEngine, type Engine } from '../server/src/engine/engine';
import { allRuleInfo } from '../server/src/engine/registry/rule-info';
import { UMBRELLAS } from '../server/src/engine/registry/builtins';
import { isJsonObject, type Finding, type JsonObject } from '../server/src/engine/types';
import { Workspace } from '../server/src/engine/workspace';
import { schemasDir } from '../server/src/host/paths';

export const PEER_TOOLS = ['polaris', 'kube-linter', 'kube-score'] as const;
export type PeerTool = (typeof PEER_TOOLS)[number];

const ALIAS_KEY: Record<PeerTool, 'polaris' | 'kubeLinter' | 'kubeScore'> = { polaris: 'polaris', 'kube-linter': 'kubeLinter', 'kube-score': 'kubeScore' };
const PEERS_DIR = resolve(__dirname, '../test/peers');

interface ExpectedReport { kind: string; name?: string; message: string }
interface PeerCase {
  fixture: string;
  check: string;
  expect: 'fail' | 'pass';
  /** kube-linter: the number of reports the tool's test asserts, and the first of them. */
  count?: number;
  reports?: ExpectedReport[];
}

/**
 * The disagreements that remain, by tool and "check fixture", with the reason (docs/migrating.md lists them too).
 * The test fails when the set changes, so that a regression, or a fix, is noticed and documented.
 */
export const KNOWN_DISAGREEMENTS: Record<PeerTool, Record<string, string>> = {
  polaris: {
    'deploymentMissingReplicas checks/deploymentMissingReplicas/failure.yaml': neverServed('Deployment', 'apps/v1'),
    'pdbDisruptionsIsZero checks/pdbDisruptionsIsZero/failure.either.yaml': neverServed('PodDisruptionBudget', 'policy/v1'),
    'pdbDisruptionsIsZero checks/pdbDisruptionsIsZero/failure.max.yaml': neverServed('PodDisruptionBudget', 'policy/v1'),
    'pdbDisruptionsIsZero checks/pdbDisruptionsIsZero/failure.min.yaml': neverServed('PodDisruptionBudget', 'policy/v1'),
  },
  'kube-linter': {},
  'kube-score': {
    'stable-version testdata/cronjob-batchv1beta1.yaml': 'kube-score judges API versions against Kubernetes 1.18 by default, which still served batch/v1beta1 CronJob; kgov bundles 1.28 to 1.36, none of which serves it (removed in 1.25), so it reports api/removed.',
  },
};

function neverServed(kind: string, servedBy: string): string {
  return `The fixture declares apiVersion: v1, which never served ${kind}; kgov reports api/removed ("not served: v1 has no kind ${kind}; ${servedBy} serves it") and does not judge the object as a ${kind}, while Polaris matches the kind alone.`;
}

export interface CaseResult extends PeerCase {
  actual: 'fail' | 'pass';
  agrees: boolean;
  /** kgov's findings of the check's ids, as "Kind/name: rule-id". */
  findings: string[];
  detail?: string;
}

export interface ToolResult { tool: PeerTool; commit: string; cases: CaseResult[]; agreeing: number; total: number }

/** kgov finding ids per peer check id, from the aliases every rule and umbrella id declares. */
export function idsByCheck(tool: PeerTool): Map<string, string[]> {
  const byCheck = new Map<string, string[]>();
  const add = (check: string, ids: readonly string[]) => byCheck.set(check, [...(byCheck.get(check) ?? []), ...ids]);
  const umbrellas = new Map(UMBRELLAS.map((u) => [u.id, u.covers ?? []]));
  for (const info of allRuleInfo()) {
    for (const check of info.aliases[ALIAS_KEY[tool]] ?? []) add(check, umbrellas.get(info.id) ?? [info.id]);
  }
  return byCheck;
}

/**
 * The kinds a peer check looks at, where one kgov rule covers several of the peer's checks that differ only in
 * the kind they target (Polaris' role and binding checks, kube-score's Deployment and StatefulSet checks).
 */
const CHECK_KINDS: Record<string, readonly string[]> = {
  clusterrolePodExecAttach: ['ClusterRole'],
  rolePodExecAttach: ['Role'],
  clusterrolebindingPodExecAttach: ['ClusterRoleBinding'],
  rolebindingClusterRolePodExecAttach: ['RoleBinding'],
  rolebindingRolePodExecAttach: ['RoleBinding'],
  clusterrolebindingClusterAdmin: ['ClusterRoleBinding'],
  rolebindingClusterAdminClusterRole: ['RoleBinding'],
  rolebindingClusterAdminRole: ['RoleBinding'],
  'deployment-has-poddisruptionbudget': ['Deployment'],
  'statefulset-has-poddisruptionbudget': ['StatefulSet'],
  'deployment-has-host-podantiaffinity': ['Deployment'],
  'statefulset-has-host-podantiaffinity': ['StatefulSet'],
};

/**
 * Finer splits of one kgov rule over several peer checks: the message ids that stand for the check, or what the
 * reported object must look like (Polaris' RoleBinding checks differ by the kind of role they reference).
 */
const CHECK_MESSAGES: Record<string, Record<string, readonly string[]>> = {
  // Polaris' check concerns autoscaled workloads only; pdb-allows-disruption's other findings are pdbDisruptionsIsZero's.
  pdbMinAvailableGreaterThanHPAMinReplicas: { 'pdb-allows-disruption': ['minAvailableScaled', 'minAvailableAbove100'] },
};
const roleRefKind = (value: JsonObject | undefined) => (isJsonObject(value?.roleRef) ? value.roleRef.kind : undefined);
const CHECK_OBJECTS: Record<string, (value: JsonObject | undefined) => boolean> = {
  rolebindingClusterRolePodExecAttach: (value) => roleRefKind(value) === 'ClusterRole',
  rolebindingRolePodExecAttach: (value) => roleRefKind(value) === 'Role',
  rolebindingClusterAdminClusterRole: (value) => roleRefKind(value) === 'ClusterRole',
  rolebindingClusterAdminRole: (value) => roleRefKind(value) === 'Role',
};

/**
 * Peer checks part of whose verdict kgov gives as a schema finding of the object (a field the API requires, a
 * value outside its enum, a field the apiVersion does not have): those findings count for the check where their
 * pointer is inside the part of the object the check looks at.
 */
const SCHEMA_PARTS: Record<string, RegExp> = {
  'pod-topology-spread-constraints': /\/topologySpreadConstraints\//,
  'ingress-targets-service': /^\/spec\/(rules\/\d+\/http\/paths\/\d+\/backend|defaultBackend)(\/|$)/,
};

/** The kinds kgov lints as Kubernetes resources: a peer's report on another API (OpenShift) is outside. */
const OUTSIDE_KUBERNETES = new Set(['DeploymentConfig']);

function describeFinding(f: Finding): string {
  return `${f.resource?.kind ?? '?'}/${f.resource?.name ?? '?'}: ${f.ruleId}`;
}

function judge(tool: PeerTool, c: PeerCase, engine: Engine, ids: readonly string[]): CaseResult {
  const file = join(PEERS_DIR, tool, c.fixture);
  const text = readFileSync(file, 'utf8');
  const workspace = new Workspace();
  const resources = engine.index(file, text);
  workspace.setFile(file, resources);
  const schemaPart = SCHEMA_PARTS[c.check];
  const wanted = new Set(ids);
  const counts = (f: Finding) => wanted.has(f.ruleId) || (schemaPart !== undefined && f.ruleId.startsWith('schema/') && schemaPart.test(f.pointer));
  const kinds = CHECK_KINDS[c.check];
  const messages = CHECK_MESSAGES[c.check];
  const objects = CHECK_OBJECTS[c.check];
  const valueOf = (f: Finding) => resources.find((r) => r.kind === f.resource?.kind && r.name === f.resource?.name)?.value;
  const findings = engine.lint(file, text, workspace)
    .filter((f) => counts(f) && !f.suppressed && (!kinds || kinds.includes(f.resource?.kind ?? '')))
    .filter((f) => !messages?.[f.ruleId] || messages[f.ruleId]?.includes(f.messageId))
    .filter((f) => !objects || objects(valueOf(f)));
  const actual = findings.length > 0 ? 'fail' : 'pass';
  const result: CaseResult = { ...c, actual, agrees: actual === c.expect, findings: findings.map(describeFinding) };
  if (ids.length === 0) return { ...result, agrees: false, detail: 'no kgov id names this check' };
  if (tool !== 'kube-linter' || !result.agrees || c.expect === 'pass') return result;
  // kube-linter reports once per object (per container for container checks), as kgov does: compare the
  // reports' kinds on the objects kgov lints (the tests list the first reports, and usually all of them).
  const listed = (c.reports ?? []).filter((r) => !OUTSIDE_KUBERNETES.has(r.kind)).map((r) => r.kind).sort();
  const outside = (c.reports ?? []).filter((r) => OUTSIDE_KUBERNETES.has(r.kind)).length;
  const reported = findings.map((f) => f.resource?.kind ?? '?').sort();
  const complete = c.count === undefined || c.count === (c.reports ?? []).length;
  const counted = complete ? listed.length : (c.count as number) - outside;
  const missing = [...listed];
  for (const kind of reported) {
    const at = missing.indexOf(kind);
    if (at >= 0) missing.splice(at, 1);
  }
  const agrees = missing.length === 0 && (complete ? reported.length === listed.length : reported.length <= counted);
  return agrees ? result : { ...result, agrees, detail: `kube-linter: ${c.count ?? listed.length} report(s) [${(c.reports ?? []).map((r) => r.kind).join(', ')}]; kgov ${reported.length} [${reported.join(', ')}]` };
}

export function measure(tool: PeerTool): ToolResult {
  const expected = JSON.parse(readFileSync(join(PEERS_DIR, tool, 'expected.json'), 'utf8')) as { commit: string; cases: PeerCase[] };
  const engine = createEngine({ schemasDir: schemasDir(), preset: tool });
  const byCheck = idsByCheck(tool);
  const cases = expected.cases.map((c) => judge(tool, c, engine, byCheck.get(c.check) ?? []));
  return { tool, commit: expected.commit, cases, agreeing: cases.filter((c) => c.agrees).length, total: cases.length };
}

export function percent(result: Pick<ToolResult, 'agreeing' | 'total'>): number {
  return result.total === 0 ? 0 : (100 * result.agreeing) / result.total;
}

function main(): void {
  const verbose = process.argv.includes('--verbose');
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  for (const tool of PEER_TOOLS) {
    if (only.length > 0 && !only.includes(tool)) continue;
    const result = measure(tool);
    console.log(`${tool} (--preset ${tool}, fixtures at ${result.commit.slice(0, 12)}): ${result.agreeing}/${result.total} cases agree (${percent(result).toFixed(1)} %)`);
    for (const c of result.cases) {
      if (c.agrees && !verbose) continue;
      const known = KNOWN_DISAGREEMENTS[tool][`${c.check} ${c.fixture}`];
      console.log(`  ${c.agrees ? 'agree   ' : 'DISAGREE'} ${c.check} ${c.fixture}: ${tool} ${c.expect}, kgov ${c.actual}${c.findings.length > 0 ? ` (${c.findings.join('; ')})` : ''}${c.detail ? ` — ${c.detail}` : ''}`);
      if (!c.agrees) console.log(`           ${known ? `known: ${known}` : 'NOT DOCUMENTED in KNOWN_DISAGREEMENTS (scripts/peers.ts) and docs/migrating.md'}`);
    }
  }
}

if (require.main === module) main();
