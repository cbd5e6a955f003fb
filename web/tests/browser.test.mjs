// Browser tests of the self-service pages, run by local/src/test/java/dev/crm/local/BrowserIT.java,
// which starts the local runner, seeds a tenant and passes what it made in CRM_BROWSER_FIXTURE (JSON).
// Playwright (playwright-core: no browser of its own) drives Debian's Chromium.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const fx = JSON.parse(process.env.CRM_BROWSER_FIXTURE || 'null');
if (!fx) {
  console.error('CRM_BROWSER_FIXTURE is not set: run these tests through BrowserIT (mvn -B verify).');
  process.exit(2);
}
const RESULTS = fx.resultsDir;
mkdirSync(RESULTS, { recursive: true });
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const DESKTOP = { width: 1100, height: 900 };
const PHONE = { width: 390, height: 844 };
// Waiting for an element or a state is fine; how long anything takes is never asserted.
const WAIT = { timeout: 15_000 };

let browser;

before(async () => {
  // launch() gives every run a fresh temporary profile (its own --user-data-dir) and removes it after.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
});

// ---- helpers ----

async function api(method, path, { key, json, headers = {} } = {}) {
  const h = { ...headers };
  if (key) h.Authorization = `Bearer ${key}`;
  if (json !== undefined) h['Content-Type'] = 'application/json';
  const response = await fetch(fx.url + path, { method, headers: h, body: json === undefined ? undefined : JSON.stringify(json) });
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, body };
}

/**
 * A fresh browser context and page with watchers: dialogs (alert() from an injected script would
 * open one), uncaught errors and console errors (CSP violations among them). Failed resource loads
 * are left out: a 400 the page asked for on purpose is logged by Chromium as one.
 */
async function open(path, viewport = DESKTOP) {
  const context = await browser.newContext({ viewport, reducedMotion: 'reduce', locale: 'en-GB' });
  const page = await context.newPage();
  const watch = { dialogs: [], errors: [] };
  const watchPage = (p) => {
    p.on('dialog', async (d) => {
      watch.dialogs.push(d.message());
      await d.dismiss();
    });
    p.on('pageerror', (e) => watch.errors.push(`page error: ${e.message}`));
    p.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) watch.errors.push(`console: ${m.text()}`);
    });
  };
  watchPage(page);
  context.on('page', watchPage);
  if (path) await page.goto(fx.url + path);
  return { context, page, watch };
}

function assertClean(watch) {
  assert.deepEqual(watch.dialogs, [], 'no dialog may open (an injected script would)');
  assert.deepEqual(watch.errors, [], 'no script errors or CSP violations');
}

async function shot(page, name) {
  await page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage: true, animations: 'disabled' });
}

async function focusedId(page) {
  return page.evaluate(() => document.activeElement && document.activeElement.id);
}

async function responses(surveyId) {
  const r = await api('GET', `/v1/surveys/${surveyId}/results`, { key: fx.readKey });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.responses;
}

async function outboxMessageTo(address) {
  for (let i = 0; i < 100; i++) {
    const r = await api('GET', '/_local/outbox');
    const mine = r.body.items.filter((m) => m.to === address && m.purpose === 'double_opt_in');
    if (mine.length) return mine[mine.length - 1];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`no confirmation email to ${address} in the outbox`);
}

const CHANNELS = ['email', 'sms', 'phone', 'post', 'push', 'in_app'];

// ---- scenarios ----

test('the landing page links the pages', async () => {
  const { context, page, watch } = await open('/');
  for (const href of ['dashboard.html', 'subscribe.html?tenant=demo&topics=newsletter']) {
    assert.equal(await page.locator(`a[href="${href}"]`).count(), 1, href);
  }
  await shot(page, 'index');
  assertClean(watch);
  await context.close();
});

test('preference centre: a change is saved, survives a reload and is in the consent ledger; a stale save is reloaded', async () => {
  const path = `/preferences.html?token=${encodeURIComponent(fx.prefToken)}`;
  const { context, page, watch } = await open(path, PHONE);
  await page.locator('#preferences').waitFor(WAIT);
  assert.equal(await page.isChecked('#ch-email'), true);
  assert.equal(await page.isChecked('#topic-email-newsletter'), true);
  assert.equal(await page.isChecked('#topic-email-offers'), false);
  assert.match(await page.textContent('#quiet-zone'), /time zone/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `nothing scrolls sideways on a phone-sized screen (overflow ${overflow}px)`);

  await page.check('#topic-email-offers');
  await page.check('#cap-on-email');
  await page.fill('#cap-max-email', '3');
  await page.fill('#cap-days-email', '7');
  await page.check('#quiet-on');
  await page.fill('#quiet-start', '21:00');
  await page.fill('#quiet-end', '08:00');
  await page.click('#save');
  await page.locator('#status', { hasText: 'Your preferences were saved.' }).waitFor(WAIT);
  await shot(page, 'preferences');

  await page.reload();
  await page.locator('#preferences').waitFor(WAIT);
  assert.equal(await page.isChecked('#topic-email-offers'), true, 'the saved topic is on after a reload');
  assert.equal(await page.inputValue('#cap-max-email'), '3');
  assert.equal(await page.inputValue('#cap-days-email'), '7');
  assert.equal(await page.isChecked('#quiet-on'), true);
  assert.equal(await page.inputValue('#quiet-start'), '21:00');
  assert.equal(await page.inputValue('#quiet-end'), '08:00');

  const stored = await api('GET', `/v1/contacts/${fx.prefContactId}/preferences`, { key: fx.readKey });
  assert.deepEqual(stored.body.frequencyCaps.email, { max: 3, period: 'P7D' });
  assert.deepEqual(stored.body.quietHours, { start: '21:00', end: '08:00' });
  assert.equal(stored.body.channels.email.topics.offers, 'opted_in');

  const history = await api('GET', `/v1/contacts/${fx.prefContactId}/consent-history?limit=200`, { key: fx.writeKey });
  assert.equal(history.status, 200);
  const entry = history.body.items.find((e) => e.channel === 'email' && e.topic === 'offers' && e.newStatus === 'opted_in');
  assert.ok(entry, 'the ledger records the change: ' + JSON.stringify(history.body.items));
  assert.equal(entry.oldStatus, 'opted_out');
  assert.equal(entry.source, 'preference_centre');
  assert.equal(entry.legalBasis, 'consent');
  assert.equal(entry.actor, 'contact');
  assert.match(entry.userAgent || '', /Chrome/);

  // Two tabs: the second saves over a version the first has changed, gets 412 and shows the latest.
  const stale = await context.newPage();
  await stale.goto(fx.url + path);
  await stale.locator('#preferences').waitFor(WAIT);
  await page.uncheck('#topic-email-newsletter');
  await page.click('#save');
  await page.locator('#status', { hasText: 'saved' }).waitFor(WAIT);
  assert.equal(await stale.isChecked('#topic-email-newsletter'), true, 'the other tab still shows the old state');
  await stale.uncheck('#topic-email-offers');
  await stale.click('#save');
  await stale.locator('#problem', { hasText: 'changed somewhere else' }).waitFor(WAIT);
  assert.equal(await stale.isChecked('#topic-email-newsletter'), false, 'the latest state was loaded');
  assert.equal(await stale.isChecked('#topic-email-offers'), true, 'the stale change was not saved');
  const after412 = await api('GET', `/v1/contacts/${fx.prefContactId}/preferences`, { key: fx.readKey });
  assert.equal(after412.body.channels.email.topics.offers, 'opted_in');
  assertClean(watch);
  await context.close();
});

test('preference centre: unsubscribe from everything', async () => {
  const { context, page, watch } = await open(`/preferences.html?token=${encodeURIComponent(fx.unsubToken)}`);
  await page.locator('#preferences').waitFor(WAIT);
  assert.equal(await page.isChecked('#ch-sms'), true);
  await page.click('#unsubscribe-all');
  await page.locator('#status', { hasText: 'unsubscribed from everything' }).waitFor(WAIT);
  for (const channel of CHANNELS) {
    assert.equal(await page.isChecked(`#ch-${channel}`), false, channel);
  }
  const stored = await api('GET', `/v1/contacts/${fx.unsubContactId}/preferences`, { key: fx.readKey });
  for (const channel of CHANNELS) {
    assert.equal(stored.body.channels[channel].status, 'opted_out', channel);
  }
  assert.deepEqual(stored.body.channels.email.topics, { newsletter: 'opted_out', offers: 'opted_out' });
  const decision = await api('POST', `/v1/contacts/${fx.unsubContactId}/contact-decisions`, { key: fx.readKey,
    json: { channel: 'email', topic: 'newsletter', messageClass: 'marketing' } });
  assert.equal(decision.body.allowed, false);
  assert.equal(decision.body.reason, 'opted_out_channel');
  assertClean(watch);
  await context.close();
});

test('double opt-in: subscribe page, the email in the outbox, the confirmation page, then allowed', async () => {
  const address = `new-${Date.now().toString(36)}@example.com`;
  const path = `/subscribe.html?tenant=${fx.slug}&topics=newsletter`;
  const { context, page, watch } = await open(path, PHONE);
  await page.fill('#email', 'not-an-address');
  await page.click('#submit');
  await page.locator('#email-error', { hasText: 'email address' }).waitFor(WAIT);
  await page.fill('#email', address);
  await page.click('#submit');
  await page.locator('#done').waitFor(WAIT);
  const firstMessage = await page.textContent('#done');
  await shot(page, 'subscribe');

  // The same address again, now known and pending: the very same message, so nothing is revealed.
  const again = await context.newPage();
  await again.goto(fx.url + path);
  await again.fill('#email', address);
  await again.click('#submit');
  await again.locator('#done').waitFor(WAIT);
  assert.equal(await again.textContent('#done'), firstMessage);

  const message = await outboxMessageTo(address);
  const link = /(https?:\/\/\S+\/v1\/public\/confirm\?token=[^\s"<>]+)/.exec(message.text);
  assert.ok(link, 'the email holds a confirmation link: ' + message.text);
  await page.goto(link[1]);
  await page.locator('h1', { hasText: 'Confirm your subscription' }).waitFor(WAIT);
  await shot(page, 'confirm');
  await page.click('button:has-text("Confirm subscription")');
  await page.locator('h1', { hasText: 'Thank you' }).waitFor(WAIT);

  const found = await api('GET', `/v1/contacts?email=${encodeURIComponent(address)}`, { key: fx.readKey });
  assert.equal(found.body.items.length, 1);
  const decision = await api('POST', `/v1/contacts/${found.body.items[0].id}/contact-decisions`, { key: fx.readKey,
    json: { channel: 'email', topic: 'newsletter', messageClass: 'marketing' } });
  assert.equal(decision.body.allowed, true, JSON.stringify(decision.body));
  assert.equal(decision.body.reason, null);
  assertClean(watch);
  await context.close();
});

test('survey: errors next to the fields (the page\'s and the API\'s), then success; free text shows as text', async () => {
  const { context, page, watch } = await open(`/survey.html?id=${fx.customSurveyId}`);
  await page.locator('#survey-form').waitFor(WAIT);
  assert.equal(await page.textContent('#survey-title'), fx.customSurveyTitle, 'the title is shown as text');
  assert.equal(await page.locator('main script').count(), 0, 'the title made no script element');

  // Required questions left unanswered: each says so next to itself, and a summary takes focus.
  await page.click('#submit');
  await page.locator('[data-question="product"] .field-error', { hasText: 'Please choose an answer' }).waitFor(WAIT);
  await page.locator('[data-question="ease"] .field-error').waitFor(WAIT);
  assert.equal(await page.getAttribute('#q-product-tent', 'aria-invalid'), 'true');
  assert.equal(await focusedId(page), 'error-summary');
  await shot(page, 'survey-errors');

  await page.check('#q-product-stove');
  await page.check('#q-uses-hiking');
  await page.check('#q-ease-4');
  await page.fill('#q-comment', 'The stove works well but the manual was confusing at first.');
  // The survey changes while the form is open: the API now allows 40 characters, the page still 200.
  const current = await api('GET', `/v1/surveys/${fx.customSurveyId}`, { key: fx.readKey });
  const questions = current.body.questions.map((q) => (q.id === 'comment' ? { ...q, maxLength: 40 } : q));
  const patched = await api('PATCH', `/v1/surveys/${fx.customSurveyId}`, { key: fx.writeKey,
    json: { questions }, headers: { 'If-Match': current.headers.get('ETag') } });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  await page.click('#submit');
  const apiError = page.locator('[data-question="comment"] .field-error');
  await apiError.waitFor(WAIT);
  assert.match(await apiError.textContent(), /at most 40 characters/, 'the API\'s error is next to its field');
  assert.equal(await page.getAttribute('#q-comment', 'aria-invalid'), 'true');
  assert.equal(await page.locator('[data-question="product"] .field-error').isVisible(), false);
  assert.equal(await responses(fx.customSurveyId), 0, 'nothing was stored');

  const payload = '<img src=x onerror=alert(1)>';
  await page.fill('#q-comment', payload);
  await page.click('#submit');
  await page.locator('#thanks').waitFor(WAIT);
  await page.click('#thanks summary');
  assert.equal(await page.locator('.answers-summary dd').last().textContent(), payload, 'free text is shown as text');
  assert.equal(await page.locator('img[src="x"]').count(), 0, 'no element was made from it');
  assert.equal(await responses(fx.customSurveyId), 1);
  await shot(page, 'survey-thanks');
  assertClean(watch);
  await context.close();
});

test('survey: a double click stores one response, and so does a retry after a lost answer', async () => {
  const before = await responses(fx.npsSurveyId);
  const { context, page, watch } = await open(`/survey.html?id=${fx.npsSurveyId}`);
  await page.locator('#survey-form').waitFor(WAIT);
  const posts = [];
  page.on('request', (r) => {
    if (r.method() === 'POST') posts.push(r.headers()['idempotency-key']);
  });
  await page.check('#q-score-9');
  await page.dblclick('#submit');
  await page.locator('#thanks').waitFor(WAIT);
  assert.equal(await responses(fx.npsSurveyId), before + 1, 'one response for a double click');
  assert.ok(posts.length >= 1 && posts.every((k) => k === posts[0]), 'every request of the attempt had one key');

  // The first request reaches the API, but its answer is lost: the page retries with the same key.
  const retry = await context.newPage();
  const keys = [];
  await retry.route('**/v1/public/surveys/*/responses', async (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    if (keys.length === 1) {
      const delivered = await route.fetch();
      assert.equal(delivered.status(), 201);
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });
  await retry.goto(`${fx.url}/survey.html?id=${fx.npsSurveyId}`);
  await retry.locator('#survey-form').waitFor(WAIT);
  await retry.check('#q-score-10');
  const replayed = retry.waitForResponse((r) => r.url().endsWith('/responses') && r.status() === 201);
  await retry.click('#submit');
  await retry.locator('#thanks').waitFor(WAIT);
  assert.equal((await replayed).headers()['idempotent-replayed'], 'true', 'the retry was answered from the first');
  assert.equal(keys.length, 2);
  assert.equal(keys[0], keys[1], 'one Idempotency-Key for the attempt and its retry');
  assert.equal(await responses(fx.npsSurveyId), before + 2, 'one response for the lost answer and its retry');
  assertClean(watch);
  await context.close();
});

test('survey: completed by keyboard alone', async () => {
  const { context, page, watch } = await open(`/survey.html?id=${fx.npsSurveyId}`, { width: 760, height: 640 });
  await page.locator('#survey-form').waitFor(WAIT);
  const before = await responses(fx.npsSurveyId);
  await page.keyboard.press('Tab');
  assert.equal(await focusedId(page), 'q-score-0', 'Tab reaches the score scale first');
  for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
  assert.equal(await page.isChecked('#q-score-8'), true, 'arrow keys choose the score');
  const ring = await page.evaluate(() => getComputedStyle(document.activeElement.nextElementSibling).outlineStyle);
  assert.equal(ring, 'solid', 'the focused score shows a focus ring');
  await page.keyboard.press('Tab');
  assert.equal(await focusedId(page), 'q-why');
  await page.keyboard.type('Friendly staff <script>alert("x")</script>');
  await page.keyboard.press('Tab');
  assert.equal(await focusedId(page), 'submit', 'the honeypot is not in the tab order');
  assert.equal(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), 'solid');
  await shot(page, 'survey');
  await page.keyboard.press('Enter');
  await page.locator('#thanks').waitFor(WAIT);
  assert.equal(await focusedId(page), 'thanks', 'focus moves to the thank-you message');
  assert.equal(await responses(fx.npsSurveyId), before + 1);
  assertClean(watch);
  await context.close();
});

test('survey: embedded on another site with survey-embed.js', async () => {
  // The tenant's site is another origin (localhost, where the CRM is 127.0.0.1); Playwright serves its
  // one page and the frame comes from the CRM. Both are on this machine, so Chromium's local-network
  // access check applies, as it would not between two public sites: the test grants it.
  const site = `http://localhost:${new URL(fx.url).port}/tenant-site.html`;
  const { context, page, watch } = await open(null);
  await context.grantPermissions(['local-network-access']);
  await page.route(site, (route) => route.fulfill({ contentType: 'text/html', body: `<!DOCTYPE html>
    <html lang="en"><head><title>Acme Outdoor</title></head><body><main><h1>Acme Outdoor</h1><p>Tell us how we did:</p>
    <script src="${fx.url}/survey-embed.js" data-survey="${fx.npsSurveyId}" data-title="Customer survey"></script>
    </main></body></html>` }));
  await page.goto(site);
  const frame = page.frameLocator('iframe[title="Customer survey"]');
  await frame.locator('#survey-form').waitFor(WAIT);
  // The frame reported its height and the script sized it: no scroll bar inside the frame.
  await page.waitForFunction(() => Number.parseInt(document.querySelector('iframe').style.height, 10) > 300, null, WAIT);
  const inner = await frame.locator('html').evaluate((html) => html.scrollHeight);
  const outer = await page.evaluate(() => document.querySelector('iframe').getBoundingClientRect().height);
  assert.ok(outer >= inner, `the frame (${outer}px) shows all of the form (${inner}px)`);
  await shot(page, 'embed');
  assertClean(watch);
  await context.close();
});

async function caseLinkTo(address) {
  for (let i = 0; i < 100; i++) {
    const r = await api('GET', '/_local/outbox');
    const mine = r.body.items.filter((m) => m.to === address && m.purpose === 'case_link');
    if (mine.length) {
      const link = /(https?:\/\/\S+\/case\.html\?token=[^\s"<>]+)/.exec(mine[mine.length - 1].text);
      assert.ok(link, 'the email holds a link to the case page: ' + mine[mine.length - 1].text);
      return link[1];
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return assert.fail(`no case link to ${address} in the outbox`);
}

const HOSTILE_SUBJECT = '<img src=x onerror=alert(11)> broken tent';
const HOSTILE_BODY = '<script>alert(12)</script>\nThe pole snapped.';
const HOSTILE_ANSWER = 'We are on it <b onmouseover=alert(13)>now</b>\nSecond line';

async function fillContact(page, { email, subject = HOSTILE_SUBJECT, body = HOSTILE_BODY }) {
  await page.fill('#name', 'Pat Walker');
  await page.fill('#email', email);
  await page.selectOption('#category', 'returns');
  await page.fill('#subject', subject);
  await page.fill('#body', body);
}

test('contact form: errors next to the fields, one answer for a known and a new address, the emailed link, a reply', async () => {
  const path = `/contact.html?tenant=${fx.slug}&categories=${encodeURIComponent('billing:Billing,returns:Returns <b>')}`;
  const { context, page, watch } = await open(path, PHONE);
  assert.equal(await page.locator('#category option[value="returns"]').textContent(), 'Returns <b>', 'a category name is text');

  // Nothing filled: each field says so next to itself and a summary takes focus; nothing is sent.
  await page.click('#submit');
  await page.locator('#email-error', { hasText: 'Enter your email address' }).waitFor(WAIT);
  await page.locator('#subject-error').waitFor(WAIT);
  await page.locator('#body-error').waitFor(WAIT);
  assert.equal(await focusedId(page), 'error-summary');

  // A known customer (the fixture's Pat) and an address nobody knows get the very same page.
  await fillContact(page, { email: 'pat@example.com' });
  await page.click('#submit');
  await page.locator('#done').waitFor(WAIT);
  assert.equal(await focusedId(page), 'done');
  const answer = await page.textContent('#done');
  await shot(page, 'contact');
  const stranger = await context.newPage();
  await stranger.goto(fx.url + path);
  await fillContact(stranger, { email: `new-${Date.now().toString(36)}@example.com` });
  await stranger.click('#submit');
  await stranger.locator('#done').waitFor(WAIT);
  assert.equal(await stranger.textContent('#done'), answer);

  // The case is Pat's, and the link in Pat's email opens its status page: the subject shows as text.
  const cases = await api('GET', `/v1/cases?contactId=${fx.prefContactId}`, { key: fx.readKey });
  assert.equal(cases.body.items.length, 1, JSON.stringify(cases.body));
  const caseId = cases.body.items[0].id;
  assert.equal(cases.body.items[0].channel, 'web');
  const link = await caseLinkTo('pat@example.com');
  await page.goto(link);
  await page.locator('#case:not([hidden])').waitFor(WAIT);
  assert.equal(await page.textContent('#case-subject'), HOSTILE_SUBJECT);
  assert.equal(await page.textContent('#case-status'), 'Received');
  assert.equal(await page.isVisible('#no-messages'), true);

  // An internal note and a public answer; the case waits on the customer. Only the answer is shown, as text.
  const write = (method, p, json, headers) => api(method, p, { key: fx.writeKey, json, headers });
  assert.equal((await write('POST', `/v1/cases/${caseId}/messages`,
    { author: 'agent', visibility: 'internal', body: 'INTERNAL: refund already refused once' })).status, 201);
  assert.equal((await write('POST', `/v1/cases/${caseId}/messages`,
    { author: 'agent', visibility: 'public', body: HOSTILE_ANSWER })).status, 201);
  const current = await api('GET', `/v1/cases/${caseId}`, { key: fx.readKey });
  const patched = await api('PATCH', `/v1/cases/${caseId}`, { key: fx.writeKey, json: { status: 'pending' },
    headers: { 'If-Match': current.headers.get('ETag'), 'Content-Type': 'application/merge-patch+json' } });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  await page.reload();
  await page.locator('#case:not([hidden])').waitFor(WAIT);
  assert.equal(await page.textContent('#case-status'), 'Waiting for your reply');
  assert.equal(await page.locator('#messages li').count(), 1);
  assert.equal(await page.textContent('#messages .message-body'), HOSTILE_ANSWER);
  assert.equal((await page.textContent('main')).includes('INTERNAL'), false, 'no internal note on the page');
  assert.equal(await page.locator('main script, main b, img[src="x"]').count(), 0, 'no markup from the texts');

  // The customer's reply reopens the case and appears under the answer.
  await page.fill('#reply-body', 'Photos attached <i>tomorrow</i>');
  await page.click('#send-reply');
  await page.locator('#status', { hasText: 'Your reply was sent' }).waitFor(WAIT);
  assert.equal(await page.textContent('#case-status'), 'In progress');
  assert.deepEqual(await page.$$eval('#messages .message-body', (ps) => ps.map((p) => p.textContent)),
    [HOSTILE_ANSWER, 'Photos attached <i>tomorrow</i>']);
  assert.equal((await api('GET', `/v1/cases/${caseId}`, { key: fx.readKey })).body.status, 'open');
  await shot(page, 'case');
  assertClean(watch);
  await context.close();
});

test('case page: a tampered link says so and shows nothing', async () => {
  const { context, page, watch } = await open('/case.html?token=abc.def.ghi');
  await page.locator('#problem', { hasText: 'not valid or has expired' }).waitFor(WAIT);
  assert.equal(await page.isVisible('#case'), false);
  assertClean(watch);
  await context.close();
});

test('contact form: embedded on another site with contact-embed.js', async () => {
  const site = `http://localhost:${new URL(fx.url).port}/tenant-contact.html`;
  const { context, page, watch } = await open(null);
  await context.grantPermissions(['local-network-access']);
  await page.route(site, (route) => route.fulfill({ contentType: 'text/html', body: `<!DOCTYPE html>
    <html lang="en"><head><title>Acme Outdoor</title></head><body><main><h1>Acme Outdoor</h1><p>Questions? Write to us:</p>
    <script src="${fx.url}/contact-embed.js" data-tenant="${fx.slug}" data-categories="billing:Billing,returns:Returns"
      data-title="Write to Acme"></script>
    </main></body></html>` }));
  await page.goto(site);
  const frame = page.frameLocator('iframe[title="Write to Acme"]');
  await frame.locator('#contact').waitFor(WAIT);
  // the page's script sets the title after the form appears: wait for it rather than read at once
  await frame.locator('#contact-title', { hasText: 'Write to Acme' }).waitFor(WAIT);
  assert.equal(await frame.locator('#contact-title').textContent(), 'Write to Acme');
  await page.waitForFunction(() => Number.parseInt(document.querySelector('iframe').style.height, 10) > 300, null, WAIT);
  const inner = await frame.locator('html').evaluate((html) => html.scrollHeight);
  const outer = await page.evaluate(() => document.querySelector('iframe').getBoundingClientRect().height);
  assert.ok(outer >= inner, `the frame (${outer}px) shows all of the form (${inner}px)`);
  await frame.locator('#email').fill(`embed-${Date.now().toString(36)}@example.com`);
  await frame.locator('#category').selectOption('billing');
  await frame.locator('#subject').fill('Invoice copy');
  await frame.locator('#body').fill('Please send me a copy of my last invoice.');
  await frame.locator('#submit').click();
  await frame.locator('#done').waitFor(WAIT);
  await shot(page, 'contact-embed');
  assertClean(watch);
  await context.close();
});

// ---- the dashboard's service section: cases made through the API, live and imported ----

const write = (method, path, json, headers) => api(method, path, { key: fx.writeKey, json, headers });

async function caseTo(id, status) {
  const current = await api('GET', `/v1/cases/${id}`, { key: fx.readKey });
  const r = await api('PATCH', `/v1/cases/${id}`, { key: fx.writeKey, json: { status },
    headers: { 'If-Match': current.headers.get('ETag'), 'Content-Type': 'application/merge-patch+json' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

/** Live cases in every unresolved status (one with a subject that is markup) and a few weeks of imported history. */
async function seedCases() {
  const live = [['new', 'billing'], ['open', 'returns'], ['pending', 'returns'], ['on_hold', 'billing'], ['solved', 'billing']];
  for (const [status, category] of live) {
    const r = await write('POST', '/v1/cases', { contactId: fx.prefContactId, channel: 'phone', category, priority: 'normal',
      subject: `${HOSTILE_SUBJECT} (${status})` });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    if (status !== 'new') await caseTo(r.body.id, status);
  }
  // Three weeks of history, two to four cases a day, solved an hour or two days later.
  const lines = [];
  const today = new Date();
  today.setUTCHours(0, 0, 0, 0);
  for (let d = 21; d >= 1; d--) {
    for (let n = 0; n < 2 + (d % 3); n++) {
      const created = new Date(today.getTime() - d * 86_400_000 + (9 + n) * 3_600_000);
      const answered = new Date(created.getTime() + 30 * 60_000);
      const solved = new Date(created.getTime() + (n % 2 ? 2 * 86_400_000 : 3_600_000));
      if (solved > new Date()) continue;
      lines.push(JSON.stringify({ contactId: fx.prefContactId, channel: 'email', category: n % 2 ? 'returns' : 'billing',
        priority: 'normal', subject: 'Imported case', createdAt: created.toISOString(),
        messages: [{ author: 'agent', visibility: 'public', body: 'Thanks, we are looking into it.', at: answered.toISOString() }],
        statusChanges: [{ status: 'solved', at: solved.toISOString() }] }));
    }
  }
  const started = await fetch(`${fx.url}/v1/cases/imports`, { method: 'POST', body: lines.join('\n') + '\n',
    headers: { Authorization: `Bearer ${fx.writeKey}`, 'Content-Type': 'application/x-ndjson' } });
  assert.equal(started.status, 202, await started.text());
  const location = started.headers.get('Location');
  for (let i = 0; i < 300; i++) {
    const job = await api('GET', location, { key: fx.readKey });
    if (job.body.status === 'succeeded') {
      assert.deepEqual(job.body.result.rejected, [], 'every history line was imported');
      assert.equal(job.body.result.imported, lines.length);
      return;
    }
    assert.notEqual(job.body.status, 'failed', JSON.stringify(job.body));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail('the case import did not finish');
}

/** What the API says about a status's backlog, counted by paging through the whole list. */
async function statusCount(status) {
  let count = 0;
  let cursor = null;
  do {
    const r = await api('GET', `/v1/cases?status=${status}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { key: fx.readKey });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    count += r.body.items.length;
    cursor = r.body.nextCursor;
  } while (cursor);
  return count;
}

test('dashboard: refuses a write key, then shows what the API returns; names show as text', async () => {
  await seedCases();
  const { context, page, watch } = await open('/dashboard.html', { width: 1100, height: 900 });
  await page.fill('#key', fx.writeKey);
  await page.click('#connect-button');
  await page.locator('#key-error', { hasText: 'read-only keys only' }).waitFor(WAIT);
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'a write key is never stored');
  assert.equal(await page.isVisible('#board'), false);

  await page.fill('#key', fx.readKey);
  await page.click('#connect-button');
  await page.locator('body[data-loaded="true"]').waitFor(WAIT);

  const fixed = (v, d) => (v === null || v === undefined ? '—' : Number(v).toFixed(d));
  const nps = (await api('GET', `/v1/surveys/${fx.npsSurveyId}/results?interval=week`, { key: fx.readKey })).body;
  assert.ok(nps.responses > 0);
  assert.equal(await page.textContent('#nps-value'), fixed(nps.nps, 1));
  assert.equal(await page.textContent('#nps-responses'), String(nps.responses));
  assert.equal(await page.textContent('#nps-promoters'), String(nps.promoters));
  assert.equal(await page.textContent('#nps-passives'), String(nps.passives));
  assert.equal(await page.textContent('#nps-detractors'), String(nps.detractors));
  const cells = (selector) => page.$$eval(`${selector} tbody tr`, (rows) => rows.map((r) => Array.from(r.cells, (c) => {
    const time = c.querySelector('time');
    return time ? time.getAttribute('datetime') : c.textContent;
  })));
  assert.deepEqual((await cells('#nps-distribution-table')).map((r) => [r[0], r[1]]),
    Object.entries(nps.distribution).map(([v, n]) => [v, String(n)]));
  assert.deepEqual(await cells('#nps-trend-table'), nps.intervals.map((i) => [i.start, String(i.responses), fixed(i.nps, 1),
    String(i.promoters), String(i.passives), String(i.detractors)]));

  const csat = (await api('GET', `/v1/surveys/${fx.csatSurveyId}/results?interval=week`, { key: fx.readKey })).body;
  assert.equal(await page.textContent('#csat-value'), fixed(csat.csat, 1));
  assert.equal(await page.textContent('#csat-responses'), String(csat.responses));
  assert.equal(await page.textContent('#csat-satisfied'), String(csat.satisfied));
  assert.deepEqual((await cells('#csat-distribution-table')).map((r) => [r[0], r[1]]),
    Object.entries(csat.distribution).map(([v, n]) => [v, String(n)]));

  const summary = (await api('GET', '/v1/churn-scores/summary', { key: fx.readKey })).body;
  for (const tier of ['low', 'medium', 'high']) {
    assert.equal(await page.textContent(`#risk-${tier}`), String(summary.riskTiers[tier]), tier);
  }
  assert.deepEqual(await page.$$eval('#top-table tbody tr', (rows) => rows.map((r) => r.dataset.contactId)),
    summary.topAtRisk.map((t) => t.contactId));

  const alerts = (await api('GET', '/v1/churn-alerts?status=open&limit=200', { key: fx.readKey })).body;
  assert.ok(alerts.items.length > 0, 'the seeded churn run raised an alert');
  assert.equal(await page.textContent('#alerts-count'), String(alerts.items.length));
  assert.deepEqual(await page.$$eval('#alerts-table tbody tr', (rows) => rows.map((r) => r.dataset.alertId)),
    alerts.items.map((a) => a.id), 'largest value at risk first, as the API orders them');
  const first = page.locator('#alerts-table tbody tr').first();
  assert.match(await first.textContent(), new RegExp(`${alerts.items[0].valueAtRisk.currency} ${alerts.items[0].valueAtRisk.amount.replace('.', '\\.')}`));

  // The customer whose name is markup: shown literally, in the alerts and the top-at-risk list.
  const xssRow = page.locator(`#alerts-table tr[data-alert-id]`, { hasText: fx.xssFirstName });
  assert.equal(await xssRow.count(), 1, 'the name is shown as text');
  assert.match(await page.locator('#top-table').textContent(), new RegExp(fx.xssFirstName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.equal(await page.locator('img[src="x"]').count(), 0);

  // The service section: the backlog per status, the last 30 days' measures and next week's forecast,
  // each figure as the API gives it for the very window the page asked about.
  const statuses = ['new', 'open', 'pending', 'on_hold'];
  const counts = await Promise.all(statuses.map(statusCount));
  assert.ok(counts.every((n) => n > 0), `a case in every unresolved status: ${counts}`);
  assert.deepEqual(await page.$$eval('#backlog-table tbody tr', (rows) => rows.map((r) => [r.dataset.status, r.cells[1].textContent])),
    statuses.map((s, i) => [s, String(counts[i])]));
  assert.equal(await page.textContent('#backlog-total'), String(counts.reduce((a, b) => a + b, 0)));
  const percent = (p) => (p === null || p === undefined ? '—' : `${(Number(p) * 100).toFixed(1)}%`);
  const hours = (m) => (m === null || m === undefined ? '—' : (Number(m) / 60).toFixed(1));
  const service = await page.$eval('#service-body', (b) => ({ from: b.dataset.from, to: b.dataset.to }));
  const range = `from=${encodeURIComponent(service.from)}&to=${encodeURIComponent(service.to)}`;
  const all = (await api('GET', `/v1/cases/metrics?${range}&groupBy=none`, { key: fx.readKey })).body.groups[0];
  assert.ok(all.solved > 0 && all.slaAttainment !== null, JSON.stringify(all));
  assert.ok(all.backlog >= 4, `the live unresolved cases are in the measured window: ${JSON.stringify(all)}`);
  assert.equal(await page.textContent('#sla-attainment'), percent(all.slaAttainment));
  assert.equal(await page.textContent('#measures-created'), String(all.created));
  assert.equal(await page.textContent('#measures-solved'), String(all.solved));
  assert.equal(await page.textContent('#median-resolution'), hours(all.resolution.business.median));
  const byCategory = (await api('GET', `/v1/cases/metrics?${range}&groupBy=category`, { key: fx.readKey })).body.groups;
  assert.deepEqual(await page.$$eval('#measures-table tbody tr', (rows) => rows.map((r) => [r.dataset.group,
    ...Array.from(r.cells).slice(1).map((c) => c.textContent)])),
  byCategory.map((g) => [g.group, String(g.created), String(g.solved), String(g.backlog), percent(g.slaAttainment),
    hours(g.resolution.business.median), hours(g.resolution.calendar.median)]));
  assert.ok(byCategory.some((g) => g.group === 'billing') && byCategory.some((g) => g.group === 'returns'));
  const forecast = (await api('GET', `/v1/cases/forecast?from=${encodeURIComponent(service.to)}&weeks=1&interval=day`
    + '&serviceLevel=0.8&answerWithinSeconds=20&handleTimeSeconds=300', { key: fx.readKey })).body;
  assert.equal(forecast.intervals.length, 7);
  assert.ok(forecast.historyCases > 0 && forecast.intervals.some((i) => i.expected > 0), JSON.stringify(forecast));
  assert.deepEqual(await cells('#forecast-table'), forecast.intervals.map((i) => [i.start, Number(i.expected).toFixed(2),
    `${i.lower}–${i.upper}`, String(i.agentsNeeded)]));
  assert.equal(await page.textContent('#forecast-peak'), String(Math.max(...forecast.intervals.map((i) => i.agentsNeeded))));
  // The live cases' subjects are markup: nothing of them became an element.
  assert.equal(await page.locator('img[src="x"], main script').count(), 0);

  await first.locator('summary', { hasText: 'Acknowledge' }).click();
  const command = await first.locator('pre.command').textContent();
  assert.ok(command.includes(`/v1/churn-alerts/${alerts.items[0].id}/acknowledge`));
  assert.ok(command.includes('$CRM_WRITE_KEY') && !command.includes(fx.readKey), 'the command names no real key');
  await shot(page, 'dashboard');

  // The read key stays for this tab only: a reload opens the board without asking again.
  await page.reload();
  await page.locator('body[data-loaded="true"]').waitFor(WAIT);
  assertClean(watch);
  await context.close();
});

test('dashboard: a tenant with no cases yet reads well in the service section', async () => {
  const { context, page, watch } = await open('/dashboard.html', { width: 1100, height: 900 });
  await page.fill('#key', fx.emptyReadKey);
  await page.click('#connect-button');
  await page.locator('body[data-loaded="true"]').waitFor(WAIT);
  assert.equal(await page.textContent('#backlog-total'), '0');
  assert.match(await page.textContent('#backlog-empty'), /No unresolved cases/);
  assert.match(await page.textContent('#measures-empty'), /No cases were created in the last 30 days/);
  assert.match(await page.textContent('#forecast-empty'), /No case history yet/);
  assert.equal(await page.locator('#service-body table, #service-body svg').count(), 0, 'no empty charts or tables');
  await shot(page, 'dashboard-empty');
  assertClean(watch);
  await context.close();
});

// ---- the dashboard's analytics section: cohorts, value by segment, the quarter's scorecard ----

const HOSTILE_SEGMENT = '<img src=x onerror="window.__segmentXss=1">Buyers & <b>friends</b>';

test('dashboard: cohort heatmap, CLV by segment and scorecard show the API figures; a segment name is text', async () => {
  const segment = await api('POST', '/v1/segments', { key: fx.writeKey,
    json: { name: HOSTILE_SEGMENT, rule: { field: 'purchases.purchases', op: 'gte', value: 1 } } });
  assert.equal(segment.status, 201, JSON.stringify(segment.body));
  const now = new Date();
  const quarter = `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
  const targets = await api('PUT', `/v1/analytics/targets/${quarter}`, { key: fx.writeKey,
    json: { newCustomers: 5, revenue: 1000, repeatPurchaseRate: 0.4, nps: 20 } });
  assert.equal(targets.status, 200, JSON.stringify(targets.body));

  const { context, page, watch } = await open('/dashboard.html', DESKTOP);
  await page.fill('#key', fx.readKey);
  await page.click('#connect-button');
  await page.locator('body[data-loaded="true"]').waitFor(WAIT);
  const percent = (p) => (p === null || p === undefined ? '—' : `${(Number(p) * 100).toFixed(1)}%`);

  // the heatmap: one row per cohort, its customers, then the retention of each later month
  const matrix = (await api('GET', '/v1/analytics/retention?cohort=month', { key: fx.readKey })).body;
  assert.ok(matrix.cohorts.some((c) => c.customers > 0 && c.periods.some((p) => p.customers > 0)), JSON.stringify(matrix));
  const heat = await page.$$eval('#cohort-table tbody tr', (rows) => rows.map((r) => [r.dataset.cohort,
    ...Array.from(r.cells).slice(1).map((c) => c.textContent)]));
  assert.deepEqual(heat, matrix.cohorts.map((c) => [c.cohort, String(c.customers),
    ...Array.from({ length: matrix.cohorts.length - 1 }, (_, k) => (c.periods[k] ? percent(c.periods[k].retention) : ''))]));
  const numbers = await page.$$eval('#cohort-numbers tbody tr', (rows) => rows.map((r) => Array.from(r.cells, (c) => c.textContent)));
  assert.deepEqual(numbers, matrix.cohorts.flatMap((c) => c.periods.map((p) => [c.cohort, p.period, String(p.customers),
    percent(p.retention), `${matrix.currency} ${p.revenue}`, percent(p.revenueRetention), percent(p.churnRate)])));

  // value by segment: the hostile name is shown as text, in the table and the chart
  const value = (await api('GET', '/v1/analytics/value?groupBy=segment', { key: fx.readKey })).body;
  const mine = value.groups.find((g) => g.group === segment.body.id);
  assert.ok(mine && mine.customers > 0, JSON.stringify(value));
  assert.deepEqual(await page.$$eval('#clv-table tbody tr', (rows) => rows.map((r) => [r.dataset.segment,
    ...Array.from(r.cells, (c) => c.textContent)])),
  value.groups.map((g) => [g.group, g.name, String(g.customers), `${value.currency} ${g.clv}`,
    g.meanClv === null ? '—' : `${value.currency} ${g.meanClv}`, percent(g.meanPAlive), `${value.currency} ${g.valueAtRisk}`]));
  assert.equal(await page.locator('#analytics-body img').count(), 0, 'the segment name became no element');
  assert.match(await page.locator('#analytics-body svg').first().textContent(), /Buyers & <b>friends<\/b>/);
  assert.equal(await page.evaluate(() => window.__segmentXss), undefined);

  // the scorecard of the quarter the page asked about
  assert.equal(await page.$eval('#analytics-body', (b) => b.dataset.period), quarter);
  const card = (await api('GET', `/v1/analytics/scorecard?period=${quarter}`, { key: fx.readKey })).body;
  const rows = await page.$$eval('#scorecard-table tbody tr', (trs) => trs.map((r) => [r.dataset.measure,
    ...Array.from(r.cells).slice(1).map((c) => c.textContent)]));
  assert.deepEqual(rows.map((r) => r[0]), card.measures.map((m) => m.measure));
  const byMeasure = Object.fromEntries(card.measures.map((m) => [m.measure, m]));
  const row = Object.fromEntries(rows.map((r) => [r[0], r.slice(1)]));
  assert.equal(row.newCustomers[0], '5');
  assert.equal(row.newCustomers[1], String(byMeasure.newCustomers.actual));
  assert.equal(row.revenue[0], `${card.currency} 1000.00`);
  assert.equal(row.repeatPurchaseRate[0], '40.0%');
  assert.equal(row.nps[0], '20.0');
  assert.equal(row.csat[0], '—', 'no target set');
  const signed = (v, text) => (Number(v) < 0 ? '−' : Number(v) > 0 ? '+' : '') + text;
  const variance = byMeasure.newCustomers.variance;
  assert.equal(row.newCustomers[2], signed(variance, String(Math.abs(Number(variance)))));
  const pct = byMeasure.newCustomers.variancePct;
  assert.equal(row.newCustomers[3], pct === null ? '—' : signed(pct, `${Math.abs(Number(pct)).toFixed(1)}%`));
  await page.locator('#analytics-panel').scrollIntoViewIfNeeded();
  await shot(page, 'dashboard-analytics');
  assertClean(watch);
  await context.close();
});
