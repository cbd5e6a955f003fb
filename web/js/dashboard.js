// The manager's dashboard (web/dashboard.html). It works with a read-scoped key only: GET /v1/key
// tells the key's scope, and any other scope is refused before the key is kept anywhere. The key lives
// in sessionStorage (this tab, until it closes), never in localStorage or a cookie.
import { apiBase, call, describeProblem, NetworkError } from './api.js';
import { barChart, lineChart, swatch } from './charts.js';
import { $, announce, el, replace } from './dom.js';
import { loadService } from './service.js';
import { loadAnalytics } from './analytics.js';

const KEY_STORAGE = 'crm.dashboard.readKey';
const SURVEY_KINDS = {
  nps: { name: 'Net Promoter Score', field: 'nps', min: -100, max: 100, ticks: [-100, -50, 0, 50, 100], digits: 1, unit: 'NPS' },
  csat: { name: 'Customer satisfaction (CSAT)', field: 'csat', min: 0, max: 100, ticks: [0, 25, 50, 75, 100], digits: 1, unit: '% satisfied' },
  ces: { name: 'Customer effort (CES)', field: 'ces', min: 1, max: 7, ticks: [1, 2, 3, 4, 5, 6, 7], digits: 2, unit: 'average (1–7)' },
};
const TIERS = [
  { key: 'low', name: 'Low', pattern: 'solid', color: '#1e6b2e' },
  { key: 'medium', name: 'Medium', pattern: 'dots', color: '#8a6d00' },
  { key: 'high', name: 'High', pattern: 'diagonal', color: '#a4161a' },
];
const REASONS = {
  p_alive_below_threshold: 'Unlikely to buy again',
  complaints: 'Complaints',
  survey_detractor: 'Detractor in a survey',
};

let key = null;

/** The key stopped working mid-session; the key form is already back on screen. */
class KeyRevoked extends Error {}

// ---- formatting: numbers exactly as the API gives them, to the API's own precision ----

function fixed(value, digits) {
  return value === null || value === undefined ? '—' : Number(value).toFixed(digits);
}

function money(m) {
  return m && m.amount !== undefined ? `${m.currency || ''} ${m.amount}`.trim() : '—';
}

function percent(p) {
  return p === null || p === undefined ? '—' : `${(Number(p) * 100).toFixed(1)}%`;
}

/** "2026-11-16" → "16 Nov 2026", read as a calendar date (no time zone can shift it). */
function day(iso) {
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

function shortDay(iso) {
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

function customerName(contact, contactId) {
  const c = contact || {};
  const name = [c.firstName, c.lastName].filter(Boolean).join(' ');
  return name || c.email || contactId;
}

function table(id, caption, headers, rows) {
  return el('div', { class: 'table-wrap' }, el('table', { id },
    el('caption', { text: caption }),
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col', class: h.num ? 'num' : null, text: h.text })))),
    el('tbody', {}, rows)));
}

function cell(content, num) {
  return el('td', { class: num ? 'num' : null }, content);
}

// ---- the key ----

function keyError(message) {
  const p = $('#key-error');
  p.textContent = message;
  p.hidden = false;
  $('#key').setAttribute('aria-invalid', 'true');
}

function showConnect(message) {
  key = null;
  sessionStorage.removeItem(KEY_STORAGE);
  $('#board').hidden = true;
  $('#forget').hidden = true;
  $('#who').textContent = '';
  $('#connect').hidden = false;
  $('#key').value = '';
  if (message) keyError(message);
}

/** Checks a key with GET /v1/key; only a read-scoped key is kept and used. */
async function connect(candidate) {
  let answer;
  try {
    answer = await call('/v1/key', { key: candidate });
  } catch (e) {
    if (!(e instanceof NetworkError)) throw e;
    keyError('The API could not be reached. Check your connection and try again.');
    return;
  }
  if (answer.status === 401) {
    showConnect('This key was not accepted: it is unknown, expired or revoked.');
    return;
  }
  if (answer.status !== 200) {
    showConnect('This key cannot open the dashboard (' + describeProblem(answer) + '). Use a read-only key of your company.');
    return;
  }
  if (answer.body.scope !== 'read') {
    // Refused before it is stored: a write or admin key in a browser page could change or delete data.
    showConnect(`This is a “${answer.body.scope}” key. The dashboard accepts read-only keys only, because a browser `
      + 'must never hold a key that can change data. Ask an administrator for a key with the read scope '
      + '(POST /v1/tenant/keys {"scope": "read", "name": "dashboard"}).');
    return;
  }
  key = candidate;
  sessionStorage.setItem(KEY_STORAGE, candidate);
  $('#key-error').hidden = true;
  $('#key').removeAttribute('aria-invalid');
  $('#key').value = '';
  $('#connect').hidden = true;
  $('#forget').hidden = false;
  $('#who').textContent = `${answer.body.tenantName} · read-only key`;
  $('#board').hidden = false;
  await loadBoard();
}

/** A GET with the key; a key revoked meanwhile sends the manager back to the key form. */
async function get(path) {
  const answer = await call(path, { key });
  if (answer.status === 401) {
    showConnect('The key is no longer valid (revoked or expired). Enter a current read-only key.');
    throw new KeyRevoked();
  }
  return answer;
}

// ---- surveys ----

function distributionBars(kind, distribution) {
  const entries = Object.entries(distribution || {}).map(([v, n]) => [Number(v), n]).sort((a, b) => a[0] - b[0]);
  const style = (v) => {
    if (kind === 'nps') return v <= 6 ? ['diagonal', '#a4161a', 'detractor'] : v <= 8 ? ['dots', '#8a6d00', 'passive'] : ['solid', '#1e6b2e', 'promoter'];
    if (kind === 'csat') return v <= 2 ? ['diagonal', '#a4161a', 'dissatisfied'] : v === 3 ? ['dots', '#8a6d00', 'neutral'] : ['solid', '#1e6b2e', 'satisfied'];
    return v <= 3 ? ['diagonal', '#a4161a', 'difficult'] : v === 4 ? ['dots', '#8a6d00', 'neutral'] : ['solid', '#1e6b2e', 'easy'];
  };
  return entries.map(([v, n]) => {
    const [pattern, color, group] = style(v);
    return { label: String(v), value: n, pattern, color, group };
  });
}

function legend(bars) {
  const seen = new Map();
  for (const b of bars) if (!seen.has(b.group)) seen.set(b.group, b);
  return el('ul', { class: 'legend', 'aria-hidden': 'true' }, Array.from(seen.values()).map((b) =>
    el('li', {}, swatch(b.pattern, b.color), b.group.charAt(0).toUpperCase() + b.group.slice(1))));
}

function headline(kind, results) {
  const spec = SURVEY_KINDS[kind];
  const value = fixed(results[spec.field], spec.digits);
  const parts = [el('span', { class: 'big', id: `${kind}-value`, text: value }), el('span', { class: 'unit', text: spec.unit })];
  const facts = [el('span', {}, el('strong', { id: `${kind}-responses`, text: String(results.responses) }), ' responses')];
  if (kind === 'nps') {
    facts.push(el('span', {}, el('strong', { id: 'nps-promoters', text: String(results.promoters) }), ' promoters'),
      el('span', {}, el('strong', { id: 'nps-passives', text: String(results.passives) }), ' passives'),
      el('span', {}, el('strong', { id: 'nps-detractors', text: String(results.detractors) }), ' detractors'));
  } else if (kind === 'csat') {
    facts.push(el('span', {}, el('strong', { id: 'csat-satisfied', text: String(results.satisfied) }), ' satisfied (4–5)'));
  }
  return el('div', { class: 'headline' }, el('p', { class: 'headline' }, parts), el('p', { class: 'headline' }, facts));
}

function renderResults(kind, body, results) {
  const spec = SURVEY_KINDS[kind];
  const intervals = results.intervals || [];
  const range = `${day(results.from)} to ${day(results.to)} (exclusive), weeks in ${results.timeZone}`;
  const points = intervals.map((i) => ({
    label: shortDay(i.start),
    value: i[spec.field] === null || i[spec.field] === undefined ? null : Number(i[spec.field]),
    text: fixed(i[spec.field], spec.digits),
  }));
  const withData = points.filter((p) => p.value !== null);
  const trendDescription = withData.length
    ? `Weekly ${spec.unit}: ` + intervals.filter((i) => i[spec.field] !== null && i[spec.field] !== undefined)
      .map((i) => `week of ${day(i.start)}: ${fixed(i[spec.field], spec.digits)} from ${i.responses} responses`).join('; ') + '.'
    : 'No responses in this period.';
  const trendRows = intervals.map((i) => el('tr', {},
    cell(el('time', { datetime: i.start, text: day(i.start) })),
    cell(String(i.responses), true),
    cell(fixed(i[spec.field], spec.digits), true),
    kind === 'nps' ? [cell(String(i.promoters), true), cell(String(i.passives), true), cell(String(i.detractors), true)] : null));
  const trendHeaders = [{ text: 'Week starting' }, { text: 'Responses', num: true }, { text: spec.unit.replace(/^./, (c) => c.toUpperCase()), num: true }]
    .concat(kind === 'nps' ? [{ text: 'Promoters', num: true }, { text: 'Passives', num: true }, { text: 'Detractors', num: true }] : []);

  const bars = distributionBars(kind, results.distribution);
  const distributionDescription = bars.map((b) => `${b.label}: ${b.value}`).join(', ') + '.';
  const distributionRows = bars.map((b) => el('tr', {}, cell(b.label), cell(String(b.value), true), cell(b.group)));

  replace(body,
    headline(kind, results),
    el('p', { class: 'hint', text: range }),
    el('figure', {},
      el('figcaption', { id: `${kind}-trend-caption`, text: `${spec.unit.replace(/^./, (c) => c.toUpperCase())} per week` }),
      lineChart({ title: `${spec.name} per week`, description: trendDescription, points, min: spec.min, max: spec.max, ticks: spec.ticks }),
      el('details', { class: 'data' }, el('summary', { text: 'Weekly numbers as a table' }),
        table(`${kind}-trend-table`, `${spec.name} per week`, trendHeaders, trendRows))),
    el('figure', {},
      el('figcaption', { text: 'Score distribution' }),
      legend(bars),
      barChart({ title: `${spec.name}: how many gave each score`, description: distributionDescription, bars }),
      el('details', { class: 'data' }, el('summary', { text: 'Distribution as a table' }),
        table(`${kind}-distribution-table`, 'Responses per score', [{ text: 'Score' }, { text: 'Responses', num: true }, { text: 'Group' }], distributionRows))));
}

async function loadResults(kind, surveyId, body) {
  body.setAttribute('aria-busy', 'true');
  try {
    const answer = await get(`/v1/surveys/${encodeURIComponent(surveyId)}/results?interval=week`);
    if (answer.status !== 200) {
      replace(body, el('p', { class: 'notice error', text: 'The results could not be loaded: ' + describeProblem(answer) }));
      return;
    }
    renderResults(kind, body, answer.body);
  } catch (e) {
    if (e instanceof NetworkError) replace(body, el('p', { class: 'notice error', text: 'The API could not be reached. Reload the page to try again.' }));
    else if (!(e instanceof KeyRevoked)) throw e;
  } finally {
    body.setAttribute('aria-busy', 'false');
  }
}

function surveyPanel(kind, surveys) {
  const spec = SURVEY_KINDS[kind];
  const body = el('div', { id: `${kind}-body` });
  const select = el('select', { id: `${kind}-survey` }, surveys.map((s) => el('option', { value: s.id, text: s.title })));
  select.addEventListener('change', () => loadResults(kind, select.value, body));
  const panel = el('section', { class: 'card', id: `panel-${kind}`, 'aria-labelledby': `${kind}-heading` },
    el('h2', { id: `${kind}-heading`, text: spec.name }),
    el('div', { class: 'field' }, el('label', { for: `${kind}-survey`, text: 'Survey' }), select),
    body);
  return { panel, load: () => loadResults(kind, select.value, body) };
}

// ---- churn ----

function renderRisk(summary) {
  const body = $('#risk-body');
  if (!summary.runId) {
    replace(body, el('p', { text: 'No retention run has scored the customers yet.' }));
    return;
  }
  const tiers = summary.riskTiers || {};
  const total = TIERS.reduce((n, t) => n + (tiers[t.key] || 0), 0);
  const share = (n) => (total ? `${((n / total) * 100).toFixed(1)}%` : '—');
  const bars = TIERS.map((t) => ({ label: t.name, value: tiers[t.key] || 0, pattern: t.pattern, color: t.color,
    sublabel: share(tiers[t.key] || 0), group: t.name.toLowerCase() + ' risk' }));
  replace(body,
    el('p', {}, el('strong', { id: 'risk-scored', text: String(summary.scored ?? total) }), ' customers scored',
      summary.asOf ? ` as of ${day(summary.asOf)}` : ''),
    el('figure', {},
      el('figcaption', { text: 'Customers per risk tier' }),
      legend(bars),
      barChart({ title: 'Customers per churn-risk tier', description: bars.map((b) => `${b.label} risk: ${b.value} customers (${b.sublabel})`).join(', ') + '.', bars, height: 240 }),
      table('risk-table', 'Customers per risk tier', [{ text: 'Risk tier' }, { text: 'Customers', num: true }, { text: 'Share', num: true }],
        TIERS.map((t) => el('tr', { dataset: { tier: t.key } }, cell(t.name), cell(el('span', { id: `risk-${t.key}`, text: String(tiers[t.key] || 0) }), true),
          cell(share(tiers[t.key] || 0), true))))));
}

function acknowledgeHelp(alert) {
  const command = `curl -X POST '${apiBase()}/v1/churn-alerts/${alert.id}/acknowledge' \\\n  -H "Authorization: Bearer $CRM_WRITE_KEY"`;
  const code = el('pre', { class: 'command' }, el('code', { text: command }));
  const feedback = el('span', { class: 'hint', role: 'status' });
  const copy = el('button', { type: 'button', class: 'secondary small', text: 'Copy command' });
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(command);
      feedback.textContent = 'Copied.';
    } catch {
      // No clipboard (insecure origin, permission): select the text so Ctrl+C copies it.
      const range = document.createRange();
      range.selectNodeContents(code);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
      feedback.textContent = 'Selected: press Ctrl+C (or ⌘C) to copy.';
    }
  });
  return el('details', {}, el('summary', { text: 'Acknowledge…' }),
    el('p', { class: 'hint', text: 'Run with a write key, from the back office or a terminal:' }), code, copy, ' ', feedback);
}

function renderAlerts(page) {
  const items = (page.items || []).slice()
    // The API sends the largest value at risk first; sorting again keeps the promise for any page.
    .sort((a, b) => Number(b.valueAtRisk?.amount || 0) - Number(a.valueAtRisk?.amount || 0));
  const body = $('#alerts-body');
  if (!items.length) {
    replace(body, el('p', { id: 'alerts-none', text: 'No open alerts.' }));
    return;
  }
  const rows = items.map((a) => el('tr', { dataset: { alertId: a.id } },
    cell([el('span', { class: 'customer-name', text: customerName(a.contact, a.contactId) }),
      a.contact && a.contact.company ? el('span', { class: 'sub', text: a.contact.company }) : null,
      a.contact && a.contact.email ? el('span', { class: 'sub', text: a.contact.email }) : null]),
    cell(money(a.valueAtRisk), true),
    cell(percent(a.pAlive), true),
    cell(el('span', { class: `tier ${a.riskTier}`, text: a.riskTier })),
    cell((a.reasons || []).map((r) => REASONS[r] || r).join(', ')),
    cell(a.suggestedAction ? [a.suggestedAction.detail || '', a.suggestedAction.channel ? el('span', { class: 'sub', text: `by ${a.suggestedAction.channel}` }) : null] : '—'),
    cell([el('code', { class: 'alert-id', text: a.id }), acknowledgeHelp(a)])));
  replace(body,
    el('p', {}, el('strong', { id: 'alerts-count', text: String(items.length) }), items.length === 1 ? ' open alert' : ' open alerts',
      page.nextCursor ? ' (the largest shown; more exist)' : ''),
    table('alerts-table', 'Open churn alerts, largest value at risk first', [
      { text: 'Customer' }, { text: 'Value at risk', num: true }, { text: 'Chance still active', num: true }, { text: 'Risk' },
      { text: 'Why' }, { text: 'Suggested action' }, { text: 'Alert' }], rows));
}

function renderTop(summary) {
  const top = summary.topAtRisk || [];
  const body = $('#top-body');
  if (!top.length) {
    replace(body, el('p', { text: 'No valuable customers at risk in the latest run.' }));
    return;
  }
  replace(body, table('top-table', 'Customers with the most value at risk', [
    { text: 'Customer' }, { text: 'Company' }, { text: 'Value at risk', num: true }, { text: 'Chance still active', num: true }, { text: 'Risk' }],
  top.map((t) => el('tr', { dataset: { contactId: t.contactId } },
    cell([el('span', { class: 'customer-name', text: customerName(t.contact, t.contactId) }),
      t.contact && t.contact.email ? el('span', { class: 'sub', text: t.contact.email }) : null]),
    cell((t.contact && t.contact.company) || '—'),
    cell(money(t.valueAtRisk), true),
    cell(percent(t.pAlive), true),
    cell(el('span', { class: `tier ${t.riskTier}`, text: t.riskTier }))))));
}

async function loadBoard() {
  const status = $('#board-status');
  status.hidden = false;
  announce(status, 'Loading…', 'info');
  try {
    const [surveys, summary, alerts] = await Promise.all([
      get('/v1/surveys?limit=200'), get('/v1/churn-scores/summary'), get('/v1/churn-alerts?status=open&limit=200')]);
    const panels = [];
    if (surveys.status === 200) {
      for (const kind of Object.keys(SURVEY_KINDS)) {
        const ofKind = (surveys.body.items || []).filter((s) => s.kind === kind);
        if (ofKind.length) panels.push(surveyPanel(kind, ofKind));
      }
    }
    replace($('#survey-panels'), panels.length ? panels.map((p) => p.panel)
      : el('p', { class: 'card', text: surveys.status === 200 ? 'No NPS, CSAT or CES surveys yet.' : 'Surveys could not be loaded: ' + describeProblem(surveys) }));
    if (summary.status === 200) {
      renderRisk(summary.body);
      renderTop(summary.body);
    } else {
      replace($('#risk-body'), el('p', { class: 'notice error', text: 'Could not load: ' + describeProblem(summary) }));
    }
    if (alerts.status === 200) renderAlerts(alerts.body);
    else replace($('#alerts-body'), el('p', { class: 'notice error', text: 'Could not load: ' + describeProblem(alerts) }));
    await Promise.all([...panels.map((p) => p.load()), loadService($('#service-body'), get, describeProblem),
      loadAnalytics($('#analytics-body'), get, describeProblem)]);
    status.hidden = true;
    document.body.dataset.loaded = 'true';
  } catch (e) {
    if (e instanceof NetworkError) announce(status, 'The API could not be reached. Reload the page to try again.', 'error');
    else if (!(e instanceof KeyRevoked)) throw e;
  }
}

$('#key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const candidate = $('#key').value.trim();
  $('#key-error').hidden = true;
  if (!candidate) {
    keyError('Enter a read-only API key.');
    $('#key').focus();
    return;
  }
  connect(candidate);
});
$('#forget').addEventListener('click', () => {
  showConnect();
  $('#key').focus();
});

const stored = sessionStorage.getItem(KEY_STORAGE);
if (stored) connect(stored);
