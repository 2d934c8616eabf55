import { startFakeApiServer } from './fake-apiserver';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
void (async () => {
  const t0 = Date.now();
  const s = await startFakeApiServer({ openapiVersion: '1.34' });
  console.log('started in', Date.now() - t0, 'ms', s.url);
  console.log(fs.readFileSync(s.kubeconfigPath, 'utf8').slice(0, 300));
  s.addObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 2 }, status: { replicas: 2 } });
  s.forbid('/api/v1/namespaces/secret');
  const dir = s.kubeconfigPath.replace(/kubeconfig.yaml$/, '');
  const curl = (...a: string[]) => { try { return execFileSync('curl', ['-sS', '-i', '--cacert', dir + 'ca.crt', '-H', `Authorization: Bearer ${s.token}`, ...a], { encoding: 'utf8' }); } catch (e: any) { return 'ERR ' + e.stdout + e.stderr; } };
  for (const p of ['/version', '/api', '/apis', '/apis/apps', '/apis/apps/v1', '/apis/apps/v1/namespaces/shop/deployments/web', '/apis/apps/v1/namespaces/shop/deployments/nope', '/api/v1/namespaces/secret/secrets/x', '/apis/apps/v1/deployments', '/nope', '/apis/foo.io/v1/things'])
    console.log('=== ' + p + '\n' + curl(s.url + p).slice(0, 700));
  console.log(curl('-X', 'PATCH', '-H', 'Content-Type: application/apply-patch+yaml', '--data-binary', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx\n', s.url + '/apis/apps/v1/namespaces/shop/deployments/web?dryRun=All&fieldManager=kgov'));
  console.log(curl(s.url + '/openapi/v2').length);
  console.log(execFileSync('curl', ['-sS', '-i', '--cacert', dir + 'ca.crt', s.url + '/version'], { encoding: 'utf8' }));
  await s.stop();
  console.log('stopped; dir exists?', fs.existsSync(dir), s.requests.length);
})();
