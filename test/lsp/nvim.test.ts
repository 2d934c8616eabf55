/**
 * An independent LSP client: headless Neovim (Debian's neovim package; .ci/run installs it) attaches the bundled
 * server to a YAML buffer and prints the diagnostics it received (test/e2e/nvim-lsp.lua).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { exampleFile, SERVER } from './client';

const haveNvim = spawnSync('nvim', ['--version']).status === 0;

describe('Neovim as a second LSP client', () => {
  it('receives kgov diagnostics with rule ids and positions', { skip: !haveNvim && process.env.KGOV_SKIP_NVIM ? 'nvim not installed' : false }, async () => {
    assert.ok(haveNvim, 'nvim is not installed (apt-get install neovim; set KGOV_SKIP_NVIM=1 to skip)');
    const { runNvim } = await import('../e2e/run-nvim.mjs');
    const file = exampleFile('shop/web/deployment.yaml');
    const result = await runNvim({ server: SERVER, file, minDiagnostics: 2, timeoutMs: 20_000 });
    assert.equal(result.status, 0, result.stderr);
    const lines = result.lines.map((l) => l.slice(file.length));
    assert.ok(lines.includes(':32:22: Deployment spec.template.spec.containers[0].env[1].value must be a string, not the boolean true (YAML reads yes as true); quote it: "yes". [kgov] code=schema/type severity=1'), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith(':37:11: Unknown field "livenessprobe"') && l.endsWith('[kgov] code=schema/unknown-field severity=1')), lines.join('\n'));
  });
});
