// UI selftest for run-ui.mjs: squiggle, hover and Problems row of the hello server, with screenshots.
export const scenarios = {
  async 'squiggle and hover'({ page, log, openFile, screenshot }) {
    await openFile('test.yaml');
    await page.locator('.squiggly-warning').first().waitFor({ timeout: 60000 });
    log('squiggle visible');
    await page.hover('.squiggly-warning', { force: true });   // the text layer sits over the decoration
    const hover = page.locator('.monaco-hover', { hasText: 'hello' }).first();
    await hover.waitFor({ timeout: 15000 });
    log('hover:', JSON.stringify((await hover.innerText()).split('\n')[0]));
    await screenshot('hover');
    await page.keyboard.press('Escape');
    if (process.env.KGOV_E2E_SELFTEST_FAIL) throw new Error('deliberate failure');
  },
  async 'problems panel'({ page, log, screenshot }) {
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'hello' }).first();
    await row.waitFor({ timeout: 30000 });
    const text = await row.innerText();
    if (!/hello-code/.test(text) || !/Ln 1, Col 1/.test(text)) throw new Error(`unexpected Problems row: ${text}`);
    log('Problems row:', JSON.stringify(text));
    await screenshot('problems');
  },
};
