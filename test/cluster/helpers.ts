/**
 * Kubeconfigs for the cluster tests: the fake API server's, plus contexts whose credentials come from a
 * client certificate or an exec credential plugin (a small Node script written next to the kubeconfig).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import type { FakeApiServer } from './fake-apiserver';

export interface TestKubeconfig {
  path: string;
  dir: string;
  /** The PEM private key of the "fake-cert" user (must never be printed). */
  clientKey: string;
  /** The value of the exec plugin's environment variable (must never be printed). */
  execSecret: string;
  /** Written by the exec plugin each time it runs. */
  execMarker: string;
  cleanup(): void;
}

/**
 * The fake server's kubeconfig plus: "fake-exec" (token from an exec plugin), "fake-exec-fails" (a plugin that
 * fails and prints its secret to stderr), "fake-cert" (token plus client certificate and key data).
 */
export function testKubeconfig(fake: FakeApiServer): TestKubeconfig {
  const dir = mkdtempSync(join(tmpdir(), 'kgov-kubeconfig-'));
  const config = YAML.parse(readFileSync(fake.kubeconfigPath, 'utf8')) as {
    users: Array<Record<string, unknown>>; contexts: Array<Record<string, unknown>>;
  };
  const execSecret = `exec-env-secret-${Date.now().toString(36)}-value`;
  const execMarker = join(dir, 'exec-ran');
  const plugin = join(dir, 'plugin.js');
  writeFileSync(plugin, [
    "const fs = require('fs');",
    'fs.appendFileSync(process.argv[2], "ran\\n");',
    "if (process.argv[3] === 'fail') { process.stderr.write('login failed for secret ' + process.env.KGOV_PLUGIN_SECRET + '\\n'); process.exit(1); }",
    "process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: process.argv[3] } }));",
  ].join('\n'));
  const exec = (mode: string) => ({
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [plugin, execMarker, mode],
      env: [{ name: 'KGOV_PLUGIN_SECRET', value: execSecret }], interactiveMode: 'Never',
    },
  });
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'client.key',
    '-out', 'client.crt', '-days', '1', '-subj', '/CN=kgov-test-user'], { cwd: dir, stdio: 'ignore' });
  const clientKey = readFileSync(join(dir, 'client.key'), 'utf8');
  const clientCert = readFileSync(join(dir, 'client.crt'), 'utf8');
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  config.users.push(
    { name: 'fake-exec-user', user: exec(fake.token) },
    { name: 'fake-exec-fails-user', user: exec('fail') },
    { name: 'fake-cert-user', user: { token: fake.token, 'client-certificate-data': b64(clientCert), 'client-key-data': b64(clientKey) } },
  );
  config.contexts.push(
    { name: 'fake-exec', context: { cluster: 'fake', user: 'fake-exec-user', namespace: 'shop' } },
    { name: 'fake-exec-fails', context: { cluster: 'fake', user: 'fake-exec-fails-user' } },
    { name: 'fake-cert', context: { cluster: 'fake', user: 'fake-cert-user', namespace: 'shop' } },
  );
  const path = join(dir, 'kubeconfig.yaml');
  writeFileSync(path, YAML.stringify(config), { mode: 0o600 });
  return { path, dir, clientKey, execSecret, execMarker, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Strings that must never appear in anything kgov prints. */
export function secretsOf(fake: FakeApiServer, config: TestKubeconfig): string[] {
  const keyBody = config.clientKey.split('\n').filter((l) => l && !l.startsWith('-----')).join('');
  const wrong = /token: (kgov-wrong-[0-9a-f]+)/.exec(readFileSync(fake.kubeconfigPath, 'utf8'))?.[1];
  return [fake.token, keyBody, keyBody.slice(0, 40), Buffer.from(config.clientKey).toString('base64').slice(0, 60), config.execSecret, ...(wrong ? [wrong] : [])];
}
