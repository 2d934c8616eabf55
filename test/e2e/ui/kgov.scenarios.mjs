// Playwright scenarios for test/e2e/run-ui.mjs: the packaged kgov.vsix in a real VS Code workbench (code-server),
// on a copy of examples/ (test/e2e/workspace.mjs). What a user sees: Problems rows with rule ids, a quick fix from
// the code-action menu, the Rollout Checklist, Audit Workspace's counts, Select Kubernetes Version.
// Scenarios run in order against one workbench; each leaves the editor area clean for the next.
// Expected values come from the workspace files themselves and from the CLI run on the same folder.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from '../lib.mjs';

const DEPLOYMENT = 'shop/web/deployment.yaml';
const FLOWSCHEMA = 'cluster/flowschema.yaml';
const INGRESS = 'shop/web/ingress.yaml';
const SQUIGGLES = '.squiggly-error, .squiggly-warning';   // the editor renders only the visible lines' decorations

/** 1-based line and column of the first capture group of `re` in a workspace file. */
function position(ws, rel, re) {
  const text = fs.readFileSync(path.join(ws, rel), 'utf8');
  const m = re.exec(text);
  if (!m) throw new Error(`${re} does not match ${rel}`);
  const offset = m.index + m[0].indexOf(m[1]);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before.at(-1).length + 1 };
}

/** `kgov audit` (the repo's CLI build) on the workspace folder, as JSON. */
function cliAudit(ws, args = []) {
  let out;
  try {
    out = execFileSync(process.execPath, [path.join(REPO, 'server/out/cli.js'), 'audit', '.', '--format', 'json', '--fail-on', 'none', ...args],
      { cwd: ws, encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (e) {
    throw new Error(`kgov audit failed: ${e.stderr || e.message}`);
  }
  return JSON.parse(out);
}

/**
 * Runs a command from the palette by its title (F1, type, pick the row). The palette lists what is registered
 * when it opens (an extension's commands appear once the remote extension host has registered it), so it is
 * reopened until the command shows up.
 */
async function runCommand(page, title, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ timeout: 3000 });
      await row.click();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`the command palette has no "${title}": ${error.message}`);
    }
  }
}

/** Opens the Problems panel and filters it; returns the locator of its rows. */
async function problems(page, filter = '') {
  await page.keyboard.press('Escape');
  await runCommand(page, 'View: Focus Problems');
  // (Output and Debug Console have filter boxes too: pick the Problems one by its placeholder)
  const input = page.locator('input[placeholder^="Filter (e.g. text"]:visible').first();
  await input.waitFor();
  await input.fill(filter);
  if ((await input.inputValue()) !== filter) throw new Error(`could not set the Problems filter to "${filter}"`);
  await page.waitForTimeout(300);   // the filter is debounced
  return page.locator('.markers-panel .monaco-list-row');
}

/** Texts of the visible Problems rows that match `pattern`. */
async function rowTexts(rows) {
  return (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/** Waits until some Problems row (after filtering) satisfies `predicate`; returns all row texts. */
async function waitForRow(page, filter, predicate, what, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  let texts = [];
  for (;;) {
    const rows = await problems(page, filter);
    texts = await rowTexts(rows);
    if (texts.some(predicate)) return texts;
    if (Date.now() > deadline) throw new Error(`no Problems row ${what} (filter "${filter}"); rows: ${JSON.stringify(texts)}`);
    await page.waitForTimeout(500);
  }
}

/** Moves the cursor of the active editor (which scrolls to it) with Go to Line/Column. */
async function goTo(page, { line, column }) {
  await runCommand(page, 'Go to Line/Column');
  await page.locator('.quick-input-widget input').fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  // A key pressed before the widget has closed goes to it, not to the editor.
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10000 });
  await page.locator('.statusbar-item', { hasText: `Ln ${line}, Col ${column}` }).first().waitFor({ timeout: 10000 });
}

async function revertActiveFile(page) {
  await runCommand(page, 'File: Revert File');
  await page.locator('.tab.active.dirty').waitFor({ state: 'detached', timeout: 10000 });
}

async function closeAllEditors(page) {
  await runCommand(page, 'View: Close All Editors');
}

export const scenarios = {
  async 'problems panel lists kgov findings with rule ids'({ page, ws, log, openFile, screenshot }) {
    await openFile(DEPLOYMENT);
    await page.locator(SQUIGGLES).first().waitFor({ timeout: 60000 });
    log('squiggles visible');
    const key = position(ws, DEPLOYMENT, /^\s+(livenessprobe):/m);
    const yes = position(ws, DEPLOYMENT, /FEATURE_NEW_CHECKOUT\n\s+value: (yes)$/m);
    const texts = await waitForRow(page, 'deployment', (t) => t.includes('livenessprobe'), 'for livenessprobe');
    const expectRow = (rule, { line, column }, words) => {
      const row = texts.find((t) => t.includes(rule) && t.includes(`[Ln ${line}, Col ${column}]`));
      if (!row || !words.test(row)) throw new Error(`no Problems row "${rule}" at Ln ${line}, Col ${column} matching ${words}; rows: ${JSON.stringify(texts)}`);
      log('row:', row);
    };
    expectRow('schema/unknown-field', key, /Unknown field "livenessprobe".*did you mean "livenessProbe"\?.*kgov/);
    expectRow('schema/type', yes, /must be a string, not the boolean true.*kgov/);
    // every finding of the file, as the CLI reports them, has a row
    const cli = cliAudit(ws).files.find((f) => f.path === DEPLOYMENT).findings;
    for (const f of cli) {
      const at = `[Ln ${f.range.start.line + 1}, Col ${f.range.start.character + 1}]`;
      if (!texts.some((t) => t.includes(f.ruleId) && t.includes(at))) throw new Error(`no row for ${f.ruleId} ${at}; rows: ${JSON.stringify(texts)}`);
    }
    log(`${cli.length} findings of ${DEPLOYMENT} in the Problems panel`);
    await screenshot('problems');
  },

  async 'kgov: Audit Workspace reports its counts'({ page, ws, log, screenshot }) {
    const report = cliAudit(ws);
    const { summary } = report;
    // the server audits manifests; the CLI also counts YAML files without a Kubernetes document
    const manifests = report.files.filter((f) => fs.readFileSync(path.join(ws, f.path), 'utf8').split(/^---$/m)
      .some((doc) => /^apiVersion:/m.test(doc) && /^kind:/m.test(doc))).length;
    await runCommand(page, 'kgov: Audit Workspace');
    const toast = page.locator('.notification-toast', { hasText: 'files audited' }).first();
    await toast.waitFor({ timeout: 60000 });
    const text = (await toast.innerText()).replace(/\s+/g, ' ');
    log('notification:', text);
    const m = /kgov: (\d+) files audited: (\d+) errors, (\d+) warnings, (\d+) info/.exec(text);
    if (!m) throw new Error(`unexpected notification: ${text}`);
    const [files, error, warning, info] = m.slice(1).map(Number);
    if (error !== summary.error || warning !== summary.warning || info !== summary.info) {
      throw new Error(`notification says ${error}/${warning}/${info}, kgov audit says ${summary.error}/${summary.warning}/${summary.info} (errors/warnings/info)`);
    }
    if (files !== manifests) throw new Error(`${files} files audited; the workspace has ${manifests} manifest files`);
    for (const button of ['Open Checklist', 'Show Problems']) {
      await toast.getByRole('button', { name: button }).waitFor();
    }
    await screenshot('audit');
    // files that are not open now have rows too
    const cron = position(ws, 'shop/worker/cronjob.yaml', /privileged: (true)/);
    await waitForRow(page, 'cronjob', (t) => t.includes('no-privileged-container') && t.includes(`[Ln ${cron.line}, Col ${cron.column}]`), 'for no-privileged-container in cronjob.yaml');
    await page.keyboard.press('Escape');
  },

  async 'the Rollout Checklist shows the workloads and their items'({ page, ws, log, openFile, screenshot }) {
    await openFile(DEPLOYMENT);
    await runCommand(page, 'kgov: Show Rollout Checklist');
    const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Rollout Checklist' }) });
    const rows = view.locator('.monaco-list-row');
    for (const name of ['namespace shop', 'Deployment web', 'StatefulSet db', 'CronJob order-export']) {
      await rows.filter({ hasText: name }).first().waitFor({ timeout: 30000 });
    }
    const description = await view.locator('.pane-header').innerText();
    if (!/workspace score \d+/.test(description)) throw new Error(`no workspace score in the view header: ${description}`);
    log('header:', description.replace(/\s+/g, ' '));
    const web = rows.filter({ hasText: 'Deployment web' }).first();
    const webText = (await web.innerText()).replace(/\s+/g, ' ');
    const score = /score (\d+) · \d+ to fix/.exec(webText)?.[1];
    if (!score) throw new Error(`Deployment web row: ${webText}`);
    await web.click();   // reveals the Deployment in the editor
    await web.locator('.monaco-tl-twistie').click();   // and opens it
    // failing groups open by themselves: the run-as-non-root item is visible with its rule id
    await rows.filter({ hasText: /^\s*security/ }).first().waitFor();
    const item = rows.filter({ hasText: 'may run as root' }).first();
    await item.waitFor();
    const itemText = (await item.innerText()).replace(/\s+/g, ' ');
    if (!itemText.includes('run-as-non-root')) throw new Error(`item row without its rule id: ${itemText}`);
    log('item:', itemText);
    await item.click();   // reveals the finding's range (the container's name) in the editor, selected
    const runAsRoot = position(ws, DEPLOYMENT, /^        - name: (web)$/m);
    await page.locator('.statusbar-item', { hasText: `Ln ${runAsRoot.line}, Col ${runAsRoot.column + 3} (3 selected)` }).first().waitFor({ timeout: 10000 });
    // the status bar item: the active file's score (its one workload's) and counts
    const status = page.locator('.statusbar-item', { hasText: /^\s*kgov/ }).first();
    await status.waitFor();
    const deadline = Date.now() + 15000;
    let statusText = '';
    while (!new RegExp(`kgov ${score}\\b`).test(statusText = (await status.innerText()).replace(/\s+/g, ' '))) {
      if (Date.now() > deadline) throw new Error(`status bar shows "${statusText}", expected the score ${score} of Deployment web`);
      await page.waitForTimeout(300);
    }
    log('status bar:', statusText);
    await screenshot('checklist');

    // The marketplace screenshot (images/screenshot.png): a wider checklist, the editor at the errors and the
    // hover of the unknown field, which must name the rule and the fix.
    if (await page.locator('#workbench\\.parts\\.panel').isVisible()) await runCommand(page, 'View: Toggle Panel Visibility');
    const sidebar = await page.locator('#workbench\\.parts\\.sidebar').boundingBox();
    await page.mouse.move(sidebar.x + sidebar.width + 1, sidebar.y + sidebar.height / 2);
    await page.mouse.down();
    await page.mouse.move(sidebar.x + sidebar.width + 160, sidebar.y + sidebar.height / 2, { steps: 5 });
    await page.mouse.up();
    const key = position(ws, DEPLOYMENT, /^\s+(livenessprobe):/m);
    await goTo(page, { line: key.line + 12, column: 1 });
    await goTo(page, { line: key.line - 12, column: 1 });
    const token = page.locator('.view-line span', { hasText: /^livenessprobe$/ }).last();
    await token.hover();
    const hover = page.locator('.monaco-hover:visible', { hasText: 'did you mean "livenessProbe"?' }).first();
    await hover.waitFor({ timeout: 15000 });
    const hoverText = (await hover.innerText()).replace(/\s+/g, ' ');
    if (!hoverText.includes('schema/unknown-field')) throw new Error(`the hover does not name the rule: ${hoverText}`);
    log('hover:', hoverText.slice(0, 200));
    await screenshot('marketplace');
    await page.keyboard.press('Escape');
  },

  async 'a quick fix from the code-action menu changes the document'({ page, ws, log, openFile, screenshot }) {
    await closeAllEditors(page);
    await openFile(DEPLOYMENT);
    const key = position(ws, DEPLOYMENT, /^\s+(livenessprobe):/m);
    await page.locator(SQUIGGLES).first().waitFor({ timeout: 60000 });
    await goTo(page, { line: key.line, column: key.column + 2 });
    // Once in CI a Ctrl+. opened no menu although the light bulb showed actions at the cursor (VS Code may drop the
    // request when diagnostics arrive meanwhile): a user presses it again.
    const menu = page.locator('.context-view .action-widget').first();
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Control+.');
      try {
        await menu.waitFor({ timeout: 5000 });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
        log(`no code-action menu after Ctrl+. (attempt ${attempt}), pressing it again`);
        await page.keyboard.press('Escape');
      }
    }
    const labels = (await menu.locator('.monaco-list-row[role=option]').allInnerTexts()).map((t) => t.trim());
    log('code actions:', JSON.stringify(labels));
    for (const want of ['Ignore schema/unknown-field for this object', 'Show documentation for schema/unknown-field']) {
      if (!labels.some((l) => l.includes(want))) throw new Error(`"${want}" not offered: ${JSON.stringify(labels)}`);
    }
    await screenshot('code-actions');
    const fix = menu.locator('.monaco-list-row[role=option]', { hasText: 'Fix: Rename "livenessprobe" to "livenessProbe"' }).first();
    if (!/\bfocused\b/.test(await fix.getAttribute('class'))) throw new Error('the preferred fix is not the focused first entry');
    await fix.click();
    await page.locator('.tab.active.dirty').waitFor({ timeout: 15000 });
    await page.locator('.view-line', { hasText: /^\s+livenessProbe:$/ }).first().waitFor({ timeout: 15000 });
    if (await page.locator('.view-line', { hasText: /livenessprobe/ }).count()) throw new Error('livenessprobe still in the editor');
    // the finding disappears from the Problems panel, the others stay
    const deadline = Date.now() + 30000;
    for (;;) {
      const texts = await rowTexts(await problems(page, 'deployment'));
      if (!texts.some((t) => t.includes('schema/unknown-field')) && texts.some((t) => t.includes('schema/type'))) break;
      if (Date.now() > deadline) throw new Error(`Problems after the fix: ${JSON.stringify(texts)}`);
      await page.waitForTimeout(500);
    }
    log('schema/unknown-field gone from the Problems panel');
    await screenshot('quick-fix');
    await revertActiveFile(page);
  },

  async 'kgov: Select Kubernetes Version changes api/removed results'({ page, ws, log, openFile, screenshot }) {
    await closeAllEditors(page);
    await openFile(FLOWSCHEMA);
    const at = position(ws, FLOWSCHEMA, /^apiVersion: (flowcontrol\S+)$/m);
    const where = `[Ln ${at.line}, Col ${at.column}]`;
    const flowRow = (rule) => (t) => t.includes(rule) && t.includes(where) && t.includes('FlowSchema');
    await waitForRow(page, 'FlowSchema', flowRow('api/removed'), 'api/removed for the FlowSchema at 1.34');
    await runCommand(page, 'kgov: Select Kubernetes Version');
    await page.locator('.quick-input-widget input').fill('1.31');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Kubernetes 1.31' }).first().click();
    const texts = await waitForRow(page, 'FlowSchema', flowRow('api/deprecated'), 'api/deprecated for the FlowSchema at 1.31');
    if (texts.some(flowRow('api/removed'))) throw new Error(`api/removed still listed at 1.31: ${JSON.stringify(texts)}`);
    log('at 1.31:', texts.find(flowRow('api/deprecated')));
    await openFile(INGRESS);
    await waitForRow(page, 'Ingress', (t) => t.includes('api/removed') && t.includes('not served by Kubernetes 1.31'), 'naming 1.31 for the Ingress');
    await screenshot('version-1.31');
    await runCommand(page, 'kgov: Select Kubernetes Version');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'From .kgov.yaml' }).first().click();
    await waitForRow(page, 'FlowSchema', flowRow('api/removed'), 'api/removed for the FlowSchema back at the default 1.34');
    log('back to the default version');
  },

  async 'kgov: Show Readiness Report shows the scorecard; an item opens the file at the finding'({ page, ws, log, screenshot }) {
    await closeAllEditors(page);
    // The CLI's HTML report of the same folder says how many dimensions are met.
    const html = execFileSync(process.execPath, [path.join(REPO, 'server/out/cli.js'), 'audit', '.', '--format', 'html', '--fail-on', 'none'],
      { cwd: ws, encoding: 'utf8', maxBuffer: 64 << 20 });
    const met = /<strong id="dimensions-met">(\d+ of \d+ dimensions met)<\/strong>/.exec(html)?.[1];
    if (!met) throw new Error('the CLI report has no dimensions-met line');
    await runCommand(page, 'kgov: Show Readiness Report');
    // A webview is an iframe holding the page's iframe.
    const report = page.frameLocator('iframe.webview').last().frameLocator('#active-frame');
    await report.locator('#scorecard tr[data-dimension="security"]').waitFor({ timeout: 60000 });
    const shown = (await report.locator('#dimensions-met').innerText()).trim();
    if (shown !== met) throw new Error(`the webview says "${shown}", kgov audit --format html says "${met}"`);
    for (const title of ['Security', 'Reliability', 'Rollout safety', 'Efficiency', 'Supply chain', 'Upgrade readiness']) {
      await report.locator('#scorecard tr', { hasText: title }).first().waitFor();
    }
    log('webview:', shown);
    await screenshot('readiness-report');
    // The run-as-non-root item of Deployment web: the editor opens shop/web/deployment.yaml at the container's name.
    const item = report.locator('li', { hasText: 'run-as-non-root' }).filter({ hasText: 'shop/web/deployment.yaml' }).first();
    await item.locator('a[data-location]').click();
    await page.locator('.tab.active', { hasText: 'deployment.yaml' }).waitFor({ timeout: 15000 });
    const name = position(ws, DEPLOYMENT, /^        - name: (web)$/m);
    await page.locator('.statusbar-item', { hasText: `Ln ${name.line}, Col ${name.column + 3} (3 selected)` }).first().waitFor({ timeout: 10000 });
    log('the item opened deployment.yaml at', `${name.line}:${name.column}`);
    await screenshot('readiness-report-item');
    await closeAllEditors(page);
  },
};
