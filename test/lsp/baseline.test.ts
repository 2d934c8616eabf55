/** Baselined findings in the editor: `.kgov.yaml` `baseline:` lowers recorded findings one severity and tags them. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { AuditWorkspaceResult } from '../../server/src/shared/protocol';
import { startClient, uri, type TestClient } from './client';
import { privilegedDeployment } from '../helpers/manifests';

const CLI = resolve(__dirname, '../../server/out/cli.js');

const DEPLOYMENT = privilegedDeployment('nginx:1.27.0');

const SEVERITY = { error: 1, warning: 2, information: 3, hint: 4 };
const messageOf = (d: Diagnostic | undefined) => (typeof d?.message === 'string' ? d.message : '');
const byCode = (diagnostics: Diagnostic[], code: string) => diagnostics.find((d) => d.code === code);

describe('language server with a baseline', () => {
  let workspace: string;
  let client: TestClient;
  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'kgov-lsp-baseline-'));
    writeFileSync(join(workspace, 'app.yaml'), DEPLOYMENT);
    const written = spawnSync(process.execPath, [CLI, 'audit', 'app.yaml', '--write-baseline', 'kgov-baseline.json'], { cwd: workspace, encoding: 'utf8' });
    assert.equal(written.status, 0, written.stderr);
    writeFileSync(join(workspace, '.kgov.yaml'), 'baseline: kgov-baseline.json\n');
    client = await startClient({ folder: workspace });
    await client.waitForStatus('ready');
  });
  after(async () => {
    await client.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('shows recorded findings one severity lower and tagged, new ones as usual, after the resource moved down', async () => {
    const target = uri(join(workspace, 'app.yaml'));
    // Moved down three lines, and a new problem: the moving tag "latest".
    client.open(target, `# moved\n# down\n# three lines\n${DEPLOYMENT.replace('nginx:1.27.0', 'nginx:latest')}`);
    const diagnostics = await client.waitForDiagnostics(target, (d) => d.some((x) => x.code === 'image-tag-pinned'));
    const privileged = byCode(diagnostics, 'no-privileged-container');
    assert.equal(privileged?.severity, SEVERITY.warning, 'error -> warning');
    assert.match(messageOf(privileged), / \(baselined\)$/);
    assert.equal((privileged?.data as { baselined?: boolean }).baselined, true);
    assert.equal(privileged?.range.start.line, 3 + 17);
    const escalation = byCode(diagnostics, 'no-privilege-escalation');
    assert.equal(escalation?.severity, SEVERITY.information, 'warning -> information');
    const fresh = byCode(diagnostics, 'image-tag-pinned');
    assert.equal(fresh?.severity, SEVERITY.warning);
    assert.doesNotMatch(messageOf(fresh), /baselined/);
    assert.equal((fresh?.data as { baselined?: boolean }).baselined, undefined);
  });

  it('marks them in Audit Workspace too', async () => {
    const result = await client.connection.sendRequest<AuditWorkspaceResult>('kgov/auditWorkspace', {});
    const app = result.files.find((f) => f.uri.endsWith('/app.yaml'));
    assert.equal(byCode(app?.diagnostics ?? [], 'no-privileged-container')?.severity, SEVERITY.warning);
  });

  it('shows findings as usual and says why when the baseline cannot be read', async () => {
    writeFileSync(join(workspace, 'kgov-baseline.json'), '{"version": 7}');
    const target = uri(join(workspace, 'app.yaml'));
    client.change(target, 2, [{ text: DEPLOYMENT }]);
    const diagnostics = await client.waitForDiagnostics(target, (_d, version) => version === 2);
    assert.equal(byCode(diagnostics, 'no-privileged-container')?.severity, SEVERITY.error);
    assert.ok(client.log.some((line) => /baseline: .*kgov-baseline\.json is not a kgov baseline: version 7/.test(line)), client.log.join('\n'));
  });
});
