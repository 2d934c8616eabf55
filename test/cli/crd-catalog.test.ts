/**
 * `kgov audit` of a folder of custom resources with no CRD in it (Istio, Prometheus Operator, Gateway API, Argo):
 * the upstream samples validate against kgov's catalog without a finding, the same files with misspelled keys get
 * schema/unknown-field at those keys, and --no-crd-catalog turns the catalog off.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

const root = resolve(__dirname, '../..');
const cli = join(root, 'server/out/cli.js');
const samples = join(root, 'test/crd-catalog/samples');
const PROJECTS = ['istio', 'prometheus-operator', 'gateway-api-standard', 'argo-cd', 'argo-workflows', 'argo-rollouts', 'argo-events'];
const expected = JSON.parse(readFileSync(join(root, 'test/crd-catalog/expected-findings.json'), 'utf8')) as Record<string, unknown>;
const scratch = mkdtempSync(join(tmpdir(), 'kgov-catalog-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Report { files: Array<{ path: string; findings: Array<{ ruleId: string; message: string; range: { start: { line: number; character: number } } }> }> }

function audit(args: string[]): Report {
  const result = spawnSync(process.execPath, [cli, 'audit', ...args, '--format', 'json', '--fail-on', 'none'], { cwd: scratch, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as Report;
}

const schemaOrApi = (report: Report) => report.files.flatMap((f) => f.findings.filter((x) => /^(schema|api)\//.test(x.ruleId)).map((x) => ({ ...x, path: f.path })));

describe('kgov audit with the CRD catalog', () => {
  // The samples of these projects, without the ones with genuine findings (listed in expected-findings.json).
  for (const project of PROJECTS) {
    for (const name of readdirSync(join(samples, project))) {
      if (!(`${project}/${name}` in expected)) cpSync(join(samples, project, name), join(scratch, 'valid', project, name));
    }
  }

  it('validates every custom resource of the folder, with no finding on the upstream samples', () => {
    const report = audit(['valid']);
    assert.ok(report.files.length >= 100, `${report.files.length} files`);
    assert.deepEqual(schemaOrApi(report).map((x) => `${x.path}: ${x.ruleId} ${x.message}`), []);
  });

  it('finds a misspelled key in each file, at the key', () => {
    const files = PROJECTS.flatMap((p) => readdirSync(join(scratch, 'valid', p)).map((n) => join(p, n)));
    const typos = new Map<string, number>();
    for (const file of files) {
      const text = readFileSync(join(scratch, 'valid', file), 'utf8');
      // The first `spec:` line's first child key, misspelled by doubling its last letter.
      const lines = text.split('\n');
      const spec = lines.findIndex((l) => /^spec:\s*(#.*)?$/.test(l));
      const child = spec < 0 ? -1 : lines.findIndex((l, i) => i > spec && /^\s+[A-Za-z]\w*:/.test(l) && !/^\s+#/.test(l));
      if (child < 0) continue;
      lines[child] = (lines[child] as string).replace(/^(\s+)(\w+):/, (_m, indent: string, key: string) => `${indent}${key}${key.slice(-1)}:`);
      typos.set(file, child);
      writeFileSync(join(scratch, 'valid', file), lines.join('\n'));
    }
    const found = new Map<string, number[]>();
    for (const x of schemaOrApi(audit(['valid'])).filter((x) => x.ruleId === 'schema/unknown-field')) {
      const file = x.path.replace(/^valid\//, '');
      found.set(file, [...(found.get(file) ?? []), x.range.start.line]);
    }
    assert.ok(typos.size >= 100, `${typos.size} files with a spec`);
    const missed = [...typos].filter(([file, line]) => !found.get(file)?.includes(line)).map(([file, line]) => `${file}:${line + 1}`);
    // A key under x-kubernetes-preserve-unknown-fields accepts anything (Argo Events' schemaless CRDs).
    const preserved = missed.filter((m) => m.startsWith('argo-events/'));
    assert.deepEqual(missed.filter((m) => !preserved.includes(m)), []);
  });

  it('--no-crd-catalog: the same folder is a list of unknown kinds', () => {
    const kinds = schemaOrApi(audit(['valid', '--no-crd-catalog'])).map((x) => x.ruleId);
    assert.ok(kinds.length > 0 && kinds.every((id) => id === 'api/unknown-kind'), [...new Set(kinds)].join(', '));
  });
});
