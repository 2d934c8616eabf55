/**
 * `kgov audit --format html` opened in Chromium (Debian's, driven by playwright-core from the e2e toolchain:
 * scripts/e2e-setup.sh): the page renders the scorecard, makes no request besides itself, breaks no CSP rule,
 * and a screenshot lands in test/out/screenshots/report-html.png.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { skipWithout } from '../helpers/required';

const root = resolve(__dirname, '../..');
const examples = join(root, 'examples');
const cli = join(root, 'server/out/cli.js');
const chromium = process.env.KGOV_E2E_CHROMIUM ?? '/usr/bin/chromium';
const playwrightDir = join(process.env.KGOV_E2E_CACHE ?? join(root, '.cache/e2e'), 'tools/node_modules/playwright-core');
const SCREENSHOT = join(root, 'test/out/screenshots/report-html.png');

interface Browser { newPage(): Promise<Page>; close(): Promise<void> }
interface Page {
  on(event: 'request', listener: (request: { url(): string }) => void): void;
  on(event: 'console', listener: (message: { text(): string }) => void): void;
  goto(url: string): Promise<unknown>;
  setViewportSize(size: { width: number; height: number }): Promise<void>;
  locator(selector: string): { innerText(): Promise<string>; count(): Promise<number>; nth(i: number): { boundingBox(): Promise<{ width: number } | null> } };
  screenshot(options: { path: string; fullPage: boolean }): Promise<unknown>;
}

const missing = !existsSync(chromium) ? `Chromium (${chromium})` : !existsSync(playwrightDir) ? 'playwright-core (scripts/e2e-setup.sh)' : undefined;

describe('kgov audit --format html in Chromium', { skip: skipWithout(missing) }, () => {
  it('renders the scorecard from the file alone, and leaves a screenshot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kgov-html-'));
    try {
      const file = join(dir, 'report.html');
      const run = spawnSync(process.execPath, [cli, 'audit', '.', '--format', 'html', '-o', file], { cwd: examples, encoding: 'utf8' });
      assert.equal(run.status, 1, run.stderr);
      const { chromium: launcher } = createRequire(__filename)(playwrightDir) as { chromium: { launch(o: object): Promise<Browser> } };
      const browser = await launcher.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
      try {
        const page = await browser.newPage();
        const requests: string[] = [];
        const messages: string[] = [];
        page.on('request', (request) => requests.push(request.url()));
        page.on('console', (message) => messages.push(message.text()));
        await page.setViewportSize({ width: 1200, height: 900 });
        await page.goto(pathToFileURL(file).href);
        assert.deepEqual(requests, [pathToFileURL(file).href], 'the page loads nothing but itself');
        assert.deepEqual(messages.filter((m) => /Content Security Policy|Refused/i.test(m)), []);
        assert.match(await page.locator('#dimensions-met').innerText(), /^\d of \d dimensions met$/);
        assert.equal(await page.locator('#scorecard tbody tr').count(), 6);
        const security = await page.locator('#scorecard tr[data-dimension="security"]').innerText();
        assert.match(security, /Security[\s\S]*\d+%[\s\S]*of 3 workloads[\s\S]*90%[\s\S]*(Not met|Met)/);
        // The bars are drawn: a track of the full width on every row.
        for (let i = 0; i < 6; i++) assert.equal((await page.locator('svg.bar rect.track').nth(i).boundingBox())?.width, 160);
        const workloads = await page.locator('table.workloads').innerText();
        assert.match(workloads, /Deployment web[\s\S]*shop\/web\/deployment\.yaml:\d+/);
        assert.match(workloads, /no-privileged-container Container "export" runs privileged[^\n]*shop\/worker\/cronjob\.yaml:35/);
        mkdirSync(join(root, 'test/out/screenshots'), { recursive: true });
        await page.screenshot({ path: SCREENSHOT, fullPage: true });
        assert.ok(statSync(SCREENSHOT).size > 10_000, 'the screenshot is not empty');
        process.stdout.write(`# screenshot: ${SCREENSHOT}\n`);
      } finally {
        await browser.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
