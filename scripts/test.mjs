// npm test: type-check, bundle, then run every test file with node:test (TypeScript through tsx).
// KGOV_TEST=<substring> runs only the test files whose path contains it; KGOV_RULE=<id> only that rule's fixtures.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const run = (command, args, label) => {
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  console.log(`# ${label}: ${((Date.now() - started) / 1000).toFixed(1)}s`);
  if (result.status !== 0) process.exit(result.status ?? 1);
};

function testFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'e2e' && name !== 'out' && name !== 'fixtures') out.push(...testFiles(path));
    } else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

if (!process.env.KGOV_SKIP_BUILD) {
  run('npx', ['tsc', '-p', 'server', '--noEmit'], 'typecheck server');
  run('npx', ['tsc', '-p', 'test', '--noEmit'], 'typecheck tests');
  run('node', ['scripts/build.mjs'], 'build');
}
const filter = process.env.KGOV_TEST;
const files = testFiles('test').filter((f) => !filter || f.includes(filter));
run('node', ['--import', 'tsx', '--test', '--test-reporter', process.env.KGOV_REPORTER ?? 'spec', ...files], `${files.length} test files`);
