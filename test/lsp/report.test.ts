/** kgov/readinessReport: the scorecard of the workspace as webview HTML, the same as `kgov audit --format html`. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ReadinessReportResult } from '../../server/src/shared/protocol';
import { EXAMPLES, startClient, uri, type TestClient } from './client';

const CLI = resolve(__dirname, '../../server/out/cli.js');

describe('language server: readiness report', () => {
  let workspace: string;
  let client: TestClient;
  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'kgov-lsp-report-'));
    cpSync(EXAMPLES, workspace, { recursive: true });
    client = await startClient({ folder: workspace });
    await client.waitForStatus('ready');
  });
  after(async () => {
    await client.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('renders the scorecard with the nonce CSP, the same dimensions met as the CLI, and links to file URIs', async () => {
    const result = await client.connection.sendRequest<ReadinessReportResult>('kgov/readinessReport', { nonce: 'n0nce' });
    const cli = spawnSync(process.execPath, [CLI, 'audit', '.', '--format', 'html', '--fail-on', 'none'], { cwd: workspace, encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    const met = /<strong id="dimensions-met">(\d+) of (\d+) dimensions met<\/strong>/.exec(cli.stdout);
    assert.deepEqual([result.met, result.measured], [Number(met?.[1]), Number(met?.[2])]);
    assert.match(result.html, /content="default-src &#39;none&#39;; style-src &#39;nonce-n0nce&#39;; script-src &#39;nonce-n0nce&#39;"/);
    // The same table as the CLI's, row for row.
    const rows = (html: string) => [...html.matchAll(/<tr data-dimension="[a-zA-Z]+">.*<\/tr>/g)].map((m) => m[0]);
    assert.deepEqual(rows(result.html), rows(cli.stdout));
    const links = [...result.html.matchAll(/data-location="(\d+)"/g)].map((m) => Number(m[1]));
    assert.equal(links.length, result.locations.length);
    assert.ok(result.locations.length > 0);
    assert.ok(result.locations.every((l) => l.uri.startsWith('file://')));
    const deployment = uri(join(workspace, 'shop/web/deployment.yaml'));
    assert.ok(result.locations.some((l) => l.uri === deployment), 'a link to shop/web/deployment.yaml');
  });
});
