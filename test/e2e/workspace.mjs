// The e2e workspace: a throwaway copy of examples/ plus test/e2e/fixtures/workspace (an API that changes between
// Kubernetes versions, a YAML file that is not a manifest). Tests edit files and write .vscode/settings.json there,
// never in the repo.
//   node test/e2e/workspace.mjs   -> prints the new folder's path
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

export function makeWorkspace(prefix = 'kgov-e2e-ws-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.cpSync(path.join(REPO, 'examples'), dir, { recursive: true });
  fs.cpSync(path.join(REPO, 'test/e2e/fixtures/workspace'), dir, { recursive: true });
  return dir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  console.log(makeWorkspace());
}
