/**
 * extensionTestsPath entry, the @vscode/test-electron contract: run() resolves when every test passed and rejects
 * otherwise. The same bundle runs in desktop VS Code (npm run test:vscode) and in code-server (npm run test:e2e).
 * KGOV_E2E_GREP=<text> runs only the tests whose full title contains it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 90000, slow: 5000, color: false, reporter: 'spec' });
  if (process.env.KGOV_E2E_GREP) mocha.grep(process.env.KGOV_E2E_GREP);
  // activation first; the others do not depend on each other's order but keep it stable
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js'))
    .sort((a, b) => Number(b.startsWith('activation')) - Number(a.startsWith('activation')) || a.localeCompare(b));
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // one plain line for the runners and CI log parsers
      console.log(`RESULT ${runner.stats?.passes ?? 0} passed, ${runner.stats?.failures ?? failures} failed`);
      if (failures) reject(new Error(`${failures} of the kgov extension-host tests failed`));
      else resolve();
    });
  });
}
