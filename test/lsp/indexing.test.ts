/**
 * Files opened while the workspace is still being indexed: their schema and local findings go out at once, their
 * cross-resource findings only once the folder's index is complete, so that no finding comes and goes (a Service
 * "selects no pods" until its Deployment's file is read).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startClient, uri, type TestClient } from './client';

// The port is a schema error: a finding that does not depend on the rest of the workspace.
const service = (name: string, app: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app: ${app}
  ports:
    - port: eighty
      targetPort: 8080
`;

const deployment = (app: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
spec:
  replicas: 2
  selector:
    matchLabels: { app: ${app} }
  template:
    metadata:
      labels: { app: ${app} }
    spec:
      containers:
        - name: web
          image: registry.example.com/${app}:1.2.3
          ports:
            - containerPort: 8080
`;

describe('language server: files opened while the workspace is indexed', () => {
  let workspace: string;
  let client: TestClient;
  const web = () => uri(join(workspace, 'a-web-service.yaml'));
  const orphan = () => uri(join(workspace, 'a-orphan-service.yaml'));

  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'kgov-indexing-'));
    // Enough files that indexing takes a while. Paths are indexed in order: a Deployment of other pods first (so
    // that the workspace has workloads), the web Service's Deployment last.
    mkdirSync(join(workspace, 'm'));
    for (let i = 0; i < 400; i++) {
      writeFileSync(join(workspace, 'm', `config-${String(i).padStart(3, '0')}.yaml`), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  key: "${i}"\n`);
    }
    writeFileSync(join(workspace, 'a-other-deployment.yaml'), deployment('other'));
    writeFileSync(join(workspace, 'zz-deployment.yaml'), deployment('web'));
    writeFileSync(join(workspace, 'a-web-service.yaml'), service('web', 'web'));
    writeFileSync(join(workspace, 'a-orphan-service.yaml'), service('orphan', 'nothing'));
    client = await startClient({ folder: workspace });
    // Opened at once: before (or while) the server reads the folder.
    client.open(web(), service('web', 'web'));
    client.open(orphan(), service('orphan', 'nothing'));
    await client.waitForStatus('ready');
  });
  after(async () => {
    await client.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('publishes schema and local findings while indexing, cross-resource findings not yet', () => {
    // (The server says 'ready' once the index is complete: whatever came before was computed from part of it.)
    const duringIndexing = client.published.filter((p) => p.uri === orphan() && p.status !== 'ready');
    assert.ok(duringIndexing.length > 0, 'the orphan Service got diagnostics while the folder was being indexed');
    for (const p of duringIndexing) assert.deepEqual(p.diagnostics.map((d) => d.code), ['schema/type']);
  });

  it('never publishes a cross-resource finding that the complete index does not have', async () => {
    // After the index is complete the open documents are checked again; wait for the orphan's held finding.
    await client.waitForDiagnostics(orphan(), (d) => d.some((x) => x.code === 'service-selects-pods'));
    const ofWeb = client.published.filter((p) => p.uri === web());
    assert.ok(ofWeb.length > 0);
    for (const p of ofWeb) assert.deepEqual(p.diagnostics.filter((d) => d.code === 'service-selects-pods'), [], 'the web Service selects the Deployment\'s pods');
  });

});
