/**
 * No input may stop an audit: a file kgov cannot finish is a kgov/internal-error finding on that file, and every
 * other file is reported as usual. Provoked for real, without hooks: the CLI runs in a Node whose stack is too
 * small for the deepest documents (deep-inputs.ts), in process and with worker threads.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { deepInputs } from './deep-inputs';

const root = resolve(__dirname, '../..');
const cli = join(root, 'server/out/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'kgov-lost-audit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Report {
  files: Array<{ path: string; findings: Array<{ ruleId: string; message: string }> }>;
}

function audit(stackKb: number | undefined, args: string[]): { code: number | null; report: Report; stderr: string } {
  const run = spawnSync(process.execPath, [...(stackKb ? [`--stack-size=${stackKb}`] : []), cli, 'audit', '--format', 'json', ...args, dir], { encoding: 'utf8' });
  return { code: run.status, report: JSON.parse(run.stdout || '{"files":[]}') as Report, stderr: run.stderr };
}

const ids = (report: Report, match: (path: string) => boolean) =>
  report.files.filter((f) => match(f.path)).flatMap((f) => f.findings.map((x) => `${f.path.slice(dir.length)} ${x.ruleId} ${x.message}`)).sort();

describe('an audit that one file cannot stop', () => {
  cpSync(join(root, 'examples/shop'), join(dir, 'shop'), { recursive: true });
  deepInputs().forEach((input, i) => writeFileSync(join(dir, `deep-${i}.yaml`), input.text));
  // Enough input for --jobs to start worker threads.
  const data = Array.from({ length: 12_000 }, (_, i) => `  key-${i}: "${'x'.repeat(40)}"`).join('\n');
  writeFileSync(join(dir, 'large.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: large\n  namespace: shop\ndata:\n${data}\n`);
  const isDeep = (path: string) => path.includes('/deep-');

  it('reports every other file when some cannot be finished', () => {
    const normal = audit(undefined, ['--jobs', '1']);
    const starved = audit(100, ['--jobs', '1']);
    assert.equal(starved.code, normal.code, starved.stderr);
    assert.deepEqual(ids(starved.report, (p) => !isDeep(p)), ids(normal.report, (p) => !isDeep(p)));
    const deep = starved.report.files.filter((f) => isDeep(f.path));
    assert.equal(deep.length, deepInputs().length);
    const failed = deep.filter((f) => f.findings.some((x) => x.ruleId === 'kgov/internal-error' && /stack/i.test(x.message)));
    assert.ok(failed.length > 0, 'the starved stack made some file fail');
  });

  it('checks the deepest documents completely with the default stack, in one thread and in workers', () => {
    const one = audit(undefined, ['--jobs', '1']);
    const workers = audit(undefined, ['--jobs', '2']);
    assert.equal(workers.stderr, '');
    assert.deepEqual(ids(workers.report, () => true), ids(one.report, () => true));
    assert.deepEqual(ids(one.report, () => true).filter((x) => x.includes('kgov/internal-error')), []);
  });
});
