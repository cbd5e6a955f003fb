// The dashboard on the demo business (`--demo`), run by local/src/test/java/dev/crm/local/DemoBusinessIT.java
// with CRM_BROWSER_FIXTURE = {url, readKey, npsSurveyId, csatSurveyId, resultsDir}. It checks the board
// shows what the API returns for a realistic tenant and takes the README's dashboard picture.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const fx = JSON.parse(process.env.CRM_BROWSER_FIXTURE || 'null');
if (!fx) {
  console.error('CRM_BROWSER_FIXTURE is not set: run these tests through DemoBusinessIT (mvn -B verify).');
  process.exit(2);
}
mkdirSync(fx.resultsDir, { recursive: true });
// Waiting for an element or a state is fine; how long anything takes is never asserted.
const WAIT = { timeout: 30_000 };
let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
});

async function api(path) {
  const response = await fetch(fx.url + path, { headers: { Authorization: `Bearer ${fx.readKey}` } });
  assert.equal(response.status, 200, path);
  return response.json();
}

test('dashboard: the demo business, twelve weeks of surveys, churn alerts and the service desk', async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, reducedMotion: 'reduce', locale: 'en-GB' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console: ${m.text()}`);
  });
  await page.goto(`${fx.url}/dashboard.html`);
  await page.fill('#key', fx.readKey);
  await page.click('#connect-button');
  await page.locator('body[data-loaded="true"]').waitFor(WAIT);

  const fixed = (v, d) => (v === null || v === undefined ? '—' : Number(v).toFixed(d));
  const nps = await api(`/v1/surveys/${fx.npsSurveyId}/results?interval=week`);
  assert.equal(nps.intervals.length, 12);
  assert.ok(nps.intervals.every((i) => i.responses > 0), 'a response in every week');
  assert.equal(await page.textContent('#nps-value'), fixed(nps.nps, 1));
  assert.equal(await page.textContent('#nps-responses'), String(nps.responses));
  assert.equal(await page.locator('#nps-trend-table tbody tr').count(), 12);
  const csat = await api(`/v1/surveys/${fx.csatSurveyId}/results?interval=week`);
  assert.equal(await page.textContent('#csat-value'), fixed(csat.csat, 1));

  const alerts = await api('/v1/churn-alerts?status=open&limit=200');
  assert.ok(alerts.items.length > 0, 'the churn run left open alerts');
  assert.equal(await page.textContent('#alerts-count'), String(alerts.items.length));
  const summary = await api('/v1/churn-scores/summary');
  for (const tier of ['low', 'medium', 'high']) {
    assert.equal(await page.textContent(`#risk-${tier}`), String(summary.riskTiers[tier]), tier);
  }
  assert.ok(Number(await page.textContent('#backlog-total')) > 0, 'open cases in the backlog');

  assert.deepEqual(errors, [], 'no script errors or CSP violations');
  // The README's picture: the top of the board (surveys, risk, the first alerts); the whole page beside it.
  await page.screenshot({ path: join(fx.resultsDir, 'demo-dashboard.png'), clip: { x: 0, y: 0, width: 1100, height: 1300 },
    fullPage: true, animations: 'disabled' });
  await page.screenshot({ path: join(fx.resultsDir, 'demo-dashboard-full.png'), fullPage: true, animations: 'disabled' });
  await context.close();
});
