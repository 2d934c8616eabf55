/** `kgov audit --format markdown|html` (the scorecard) and baselines, through the bundled CLI (server/out/cli.js). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Ajv from 'ajv';
import { privilegedDeployment } from '../helpers/manifests';

const root = resolve(__dirname, '../..');
const cli = join(root, 'server/out/cli.js');

function kgov(cwd: string, args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const schema = (name: string) => JSON.parse(readFileSync(join(root, 'schemas', name), 'utf8')) as object;
const validateReport = new Ajv({ allErrors: true }).compile(schema('kgov-report.schema.json'));
const validateBaseline = new Ajv({ allErrors: true }).compile(schema('kgov-baseline.schema.json'));

/** A privileged Deployment with a moving tag (security and supply chain fail) and a careful one (both pass). */
const RISKY = privilegedDeployment('nginx:latest');
const CAREFUL = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: pay
spec:
  replicas: 1
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 10001
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: api
          image: registry.example.com/api:1.4.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
`;

describe('kgov audit reports and baselines', () => {
  let dir: string;
  const scratch: string[] = [];
  /** A folder of its own (not under `dir`, which other tests audit whole). */
  const folder = (prefix: string) => {
    const made = mkdtempSync(join(tmpdir(), prefix));
    scratch.push(made);
    return made;
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kgov-report-'));
    writeFileSync(join(dir, 'web.yaml'), RISKY);
    writeFileSync(join(dir, 'api.yaml'), CAREFUL);
  });
  after(() => {
    for (const d of [dir, ...scratch]) rmSync(d, { recursive: true, force: true });
  });

  it('--format markdown: the scorecard table, then the findings grouped by workload', () => {
    const result = kgov(dir, ['audit', '.', '--format', 'markdown']);
    assert.equal(result.code, 1, result.stderr);
    const md = result.stdout;
    assert.match(md, /^## kgov readiness report\n/);
    assert.match(md, /\n\| Dimension \| Measured \| Target \| Status \|\n\|---\|---:\|---:\|---\|\n/);
    // The careful workload passes security, the risky one does not: 1 of 2 = 50 %, under the default 90 %.
    assert.match(md, /\n\| \*\*Security\*\*<br>workloads whose security and RBAC items all pass \| 50% \(1 of 2 workloads\) \| 90% \| ❌ not met \|\n/);
    assert.match(md, /\n\| \*\*Supply chain\*\*<br>[^|]+\| 50% \(1 of 2 workloads\) \| 90% \| ❌ not met \|\n/);
    assert.match(md, /\n#### Deployment `shop\/web` in `web\.yaml` \(score \d+\)\n\n(- \*\*(error|warning|info)\*\* `[a-z/-]+` line \d+: .+\n)+/);
    assert.match(md, /- \*\*error\*\* `no-privileged-container` line 18: Container "web" runs privileged/);
    assert.ok(md.indexOf('| **Security**') < md.indexOf('### Findings by workload'));
  });

  it('.kgov.yaml scorecard: targets change what is met', () => {
    const sub = folder('kgov-report-targets-');
    writeFileSync(join(sub, 'web.yaml'), RISKY);
    writeFileSync(join(sub, 'api.yaml'), CAREFUL);
    writeFileSync(join(sub, '.kgov.yaml'), 'scorecard:\n  security: 50\n');
    const md = kgov(sub, ['audit', '.', '--format', 'markdown']).stdout;
    assert.match(md, /\| \*\*Security\*\*<br>[^|]+\| 50% \(1 of 2 workloads\) \| 50% \| ✅ met \|/);
    // Targets are percentages: anything else is a configuration error at the key.
    writeFileSync(join(sub, '.kgov.yaml'), 'scorecard:\n  security: 120\n  speed: 50\n');
    const invalid = kgov(sub, ['audit', '.', '--format', 'markdown']);
    assert.equal(invalid.code, 2);
    assert.match(invalid.stderr, /\.kgov\.yaml:2:13 error config\/invalid \.kgov\.yaml scorecard\.security must be <= 100\./);
    assert.match(invalid.stderr, /\.kgov\.yaml:3:3 error config\/invalid Unknown field "speed" in \.kgov\.yaml scorecard\./);
  });

  it('--format html -o FILE: one self-contained file with the scorecard, namespaces, workloads and failing items with file and line', () => {
    const result = kgov(dir, ['audit', '.', '--format', 'html', '-o', 'report.html']);
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stdout, '');
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    // Self-contained: nothing loads from elsewhere, no script at all.
    assert.doesNotMatch(html, /\b(src|href)\s*=|url\(|@import|<script|<link|<iframe|<object/i);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;/);
    assert.equal((html.match(/<svg class="bar"/g) ?? []).length, 6);
    assert.match(html, /<tr data-dimension="security">.*50%.*1 of 2 workloads.*Not met/);
    assert.match(html, /Namespace pay · score \d+[\s\S]*Namespace shop · score \d+/);
    assert.match(html, /<code>no-privileged-container<\/code> Container &#34;web&#34; runs privileged[^<]*<code>web\.yaml:18<\/code>/);
    rmSync(join(dir, 'report.html'));
  });

  it('--write-baseline records today\'s findings (exit 0); --baseline reports and fails only on new ones and counts the fixed', () => {
    const sub = folder('kgov-report-baseline-');
    writeFileSync(join(sub, 'web.yaml'), RISKY);
    const written = kgov(sub, ['audit', '.', '--write-baseline', 'kgov-baseline.json']);
    assert.equal(written.code, 0, written.stderr);
    assert.match(written.stderr, /kgov: recorded \d+ findings in kgov-baseline\.json/);
    const baseline = JSON.parse(readFileSync(join(sub, 'kgov-baseline.json'), 'utf8')) as { version: number; findings: Array<{ ruleId: string; path: string }> };
    assert.ok(validateBaseline(baseline), JSON.stringify(validateBaseline.errors));
    assert.equal(baseline.version, 1);
    assert.ok(baseline.findings.some((e) => e.ruleId === 'no-privileged-container' && e.path === 'web.yaml'));

    const unchanged = kgov(sub, ['audit', '.', '--baseline', 'kgov-baseline.json']);
    assert.equal(unchanged.code, 0, unchanged.stdout);
    assert.match(unchanged.stdout, /^No problems \(1 file, 1 document, Kubernetes 1\.34\)\.\nBaseline kgov-baseline\.json: 0 new, \d+ baselined \(not shown\), 0 fixed since it was written\.\n$/);

    // Moved down, privileged fixed, and one new problem (a hostPID pod): exit 1 for the new one only.
    writeFileSync(join(sub, 'web.yaml'), `# a comment moves everything down\n${RISKY.replace('privileged: true', 'allowPrivilegeEscalation: false').replace('    spec:\n      containers:', '    spec:\n      hostPID: true\n      containers:')}`);
    const changed = kgov(sub, ['audit', '.', '--baseline', 'kgov-baseline.json']);
    assert.equal(changed.code, 1, changed.stdout);
    const lines = changed.stdout.trim().split('\n');
    assert.deepEqual(lines.slice(0, -2).map((l) => l.split(' ').slice(0, 3).join(' ')), ['web.yaml:15:16 error no-host-pid']);
    assert.match(lines.at(-1) ?? '', /^Baseline kgov-baseline\.json: 1 new, \d+ baselined \(not shown\), 2 fixed since it was written\.$/);

    // --fail-on still applies to the new findings only.
    assert.equal(kgov(sub, ['audit', '.', '--baseline', 'kgov-baseline.json', '--fail-on', 'none']).code, 0);

    // SARIF carries baselineState; JSON too, and still matches its schema.
    const sarif = JSON.parse(kgov(sub, ['audit', '.', '--baseline', 'kgov-baseline.json', '--format', 'sarif']).stdout) as { runs: Array<{ results: Array<{ ruleId: string; baselineState?: string }> }> };
    const states = sarif.runs[0]?.results.map((r) => `${r.ruleId}=${r.baselineState}`) ?? [];
    assert.ok(states.includes('no-host-pid=new'), states.join(' '));
    assert.ok(states.includes('image-tag-pinned=unchanged'), states.join(' '));
    assert.ok(states.every((s) => /=(new|unchanged)$/.test(s)));
    const json = JSON.parse(kgov(sub, ['audit', '.', '--baseline', 'kgov-baseline.json', '--format', 'json']).stdout) as { baseline: { new: number; fixed: number } };
    assert.ok(validateReport(json), JSON.stringify(validateReport.errors));
    assert.deepEqual([json.baseline.new, json.baseline.fixed], [1, 2]);

    // .kgov.yaml names the baseline: the same result without the option.
    writeFileSync(join(sub, '.kgov.yaml'), 'baseline: kgov-baseline.json\n');
    const configured = kgov(sub, ['audit', '.']);
    assert.equal(configured.code, 1);
    assert.match(configured.stdout, /1 new, \d+ baselined/);
  });

  it('exits 2 on a baseline it cannot use, and on --baseline with --write-baseline', () => {
    const missing = kgov(dir, ['audit', 'web.yaml', '--baseline', 'nope.json']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--baseline: cannot read .*nope\.json \(ENOENT\); kgov audit --write-baseline FILE writes one/);
    writeFileSync(join(dir, 'bad.json'), '{"version": 1, "findings": [{"ruleId": "x"}]}');
    const bad = kgov(dir, ['audit', 'web.yaml', '--baseline', 'bad.json']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.json is not a kgov baseline: findings\[0\]\.fingerprint is not 16 hex digits/);
    const both = kgov(dir, ['audit', 'web.yaml', '--baseline', 'a.json', '--write-baseline', 'b.json']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /cannot be combined/);
  });
});
