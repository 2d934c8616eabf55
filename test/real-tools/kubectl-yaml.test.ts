/**
 * kgov accepts exactly the YAML that kubectl accepts, checked against kubectl 1.34 itself. kubectl reads a
 * kubeconfig with the same decoder it reads manifests with (sigs.k8s.io/yaml over go-yaml), and ignores fields a
 * kubeconfig does not have, so `kubectl config view --kubeconfig FILE` says whether go-yaml loads FILE without
 * needing an API server. Every dialect case (test/differential/dialect-cases.ts) gets the same verdict from kgov,
 * including the ones where kgov follows go-yaml rather than libyaml.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { parseChunk, splitDocuments } from '../../server/src/engine/yaml/parse';
import { DIALECT_CASES } from '../differential/dialect-cases';
import { realTools, realToolsUnavailable } from '../helpers/real-tools';
import { skipWithout } from '../helpers/required';

const run = promisify(execFile);
const unavailable = skipWithout(realToolsUnavailable());
const dir = mkdtempSync(join(tmpdir(), 'kgov-kubectl-yaml-'));
after(() => rmSync(dir, { recursive: true, force: true }));

type Verdict = 'loads' | 'rejects';

async function kubectlVerdict(name: string, text: string): Promise<Verdict> {
  const file = join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
  writeFileSync(file, text);
  try {
    await run(realTools().kubectl, ['config', 'view', '--kubeconfig', file, '-o', 'json'], { env: { PATH: process.env.PATH ?? '', HOME: dir } });
    return 'loads';
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '');
    // Only YAML's own verdicts count; anything else means the case does not test what it should.
    assert.match(stderr, /yaml:|control characters|unsupported map key/, `${name}: ${stderr}`);
    return 'rejects';
  }
}

/** kgov rejects a file when a document has a syntax error or a key JSON cannot hold (kubectl fails on both). */
function kgovVerdict(text: string): Verdict {
  const problems = splitDocuments(text).flatMap((chunk) => parseChunk(chunk.text)).flatMap((d) => d.problems);
  return problems.some((p) => p.ruleId === 'yaml/syntax' || p.ruleId === 'yaml/invalid-key') ? 'rejects' : 'loads';
}

describe("kubectl's own YAML decoder", { skip: unavailable }, () => {
  it('gives every dialect case the verdict kgov gives it', async () => {
    const cases = Object.entries(DIALECT_CASES);
    const verdicts = await Promise.all(cases.map(async ([name, text]) => ({ name, kubectl: await kubectlVerdict(name, text), kgov: kgovVerdict(text) })));
    assert.deepEqual(verdicts.filter((v) => v.kubectl !== v.kgov), []);
    // Both verdicts occur: the cases probe the boundary from both sides.
    assert.ok(verdicts.filter((v) => v.kubectl === 'loads').length > 20);
    assert.ok(verdicts.filter((v) => v.kubectl === 'rejects').length > 20);
  });
});
