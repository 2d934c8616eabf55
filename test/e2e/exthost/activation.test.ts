/** The extension activates in a real extension host, starts its server and registers what package.json promises. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extension, kgov } from './util';

suite('activation', () => {
  test('activates, starts the language server and reports ready', async () => {
    const api = await kgov();
    assert.equal(extension().isActive, true);
    assert.equal(typeof api.checklist, 'function');
    // ready() keeps resolving once the index is built
    await api.ready();
  });

  test('every command contributed in package.json is registered', async () => {
    await kgov();
    const contributed = (extension().packageJSON.contributes.commands as Array<{ command: string }>).map((c) => c.command).sort();
    assert.ok(contributed.length >= 9, `only ${contributed.length} commands contributed`);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), [], 'contributed but not registered');
    for (const id of ['kgov.auditWorkspace', 'kgov.showChecklist', 'kgov.fixAll', 'kgov.selectKubernetesVersion', 'kgov.restartServer']) {
      assert.ok(contributed.includes(id), `${id} is not contributed`);
    }
  });
});
