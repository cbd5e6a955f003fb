// The dashboard's customer-service section: the backlog by status, SLA attainment and median
// resolution per category over the last 30 days, and next week's forecast with staffing. Read routes
// only (GET /v1/cases, /v1/cases/metrics, /v1/cases/forecast), with the dashboard's read key.
import { barChart } from './charts.js';
import { el, humanize, replace } from './dom.js';

/** The unresolved statuses, in workflow order (docs/api.md, "Cases"). */
const BACKLOG_STATUSES = [
  { key: 'new', name: 'New', pattern: 'solid', color: '#0a58a6' },
  { key: 'open', name: 'Open', pattern: 'dots', color: '#1e6b2e' },
  { key: 'pending', name: 'Waiting on customer', pattern: 'diagonal', color: '#8a6d00' },
  { key: 'on_hold', name: 'On hold', pattern: 'cross', color: '#6b3fa0' },
];
// Counting pages through the status index, 200 at a time; past this many the count is shown as
// "1,000+" rather than reading a large backlog to the end on every page load.
const PAGE = 200;
const MAX_PAGES = 5;
const COUNT_CAP = PAGE * MAX_PAGES;
const MEASURE_DAYS = 30;
const STAFFING = 'serviceLevel=0.8&answerWithinSeconds=20&handleTimeSeconds=300';

function fixed(value, digits) {
  return value === null || value === undefined ? '—' : Number(value).toFixed(digits);
}

function percent(p) {
  return p === null || p === undefined ? '—' : `${(Number(p) * 100).toFixed(1)}%`;
}

/** Minutes (the API's unit for aggregates) as hours with one decimal: "—" over no cases. */
function hours(minutes) {
  return minutes === null || minutes === undefined ? '—' : (Number(minutes) / 60).toFixed(1);
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

function problemText(answer, describeProblem) {
  return el('p', { class: 'notice error', text: 'Could not load: ' + describeProblem(answer) });
}

/** How many cases have a status: pages through the index, at most COUNT_CAP; {count, more}. */
async function countStatus(get, status) {
  let count = 0;
  let cursor = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = `status=${status}&limit=${PAGE}` + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');
    const answer = await get(`/v1/cases?${query}`);
    if (answer.status !== 200) return { answer };
    count += answer.body.items.length;
    cursor = answer.body.nextCursor;
    if (!cursor) return { count, more: false };
  }
  return { count, more: true };
}

function backlogFigure(counts) {
  const text = (c) => (c.more ? `${c.count.toLocaleString('en-GB')}+` : c.count.toLocaleString('en-GB'));
  const total = counts.reduce((n, c) => n + c.count, 0);
  const more = counts.some((c) => c.more);
  const bars = BACKLOG_STATUSES.map((s, i) => ({ label: s.name, value: counts[i].count, text: text(counts[i]),
    pattern: s.pattern, color: s.color }));
  const description = BACKLOG_STATUSES.map((s, i) => `${s.name}: ${text(counts[i])}`).join(', ') + '.';
  return el('div', { id: 'service-backlog' },
    el('h3', { text: 'Backlog by status' }),
    el('p', { class: 'headline' },
      el('span', { class: 'big', id: 'backlog-total', text: (more ? `${total.toLocaleString('en-GB')}+` : total.toLocaleString('en-GB')) }),
      el('span', { class: 'unit', text: 'unresolved cases' })),
    total === 0
      ? el('p', { id: 'backlog-empty', text: 'No unresolved cases: nothing is new, open, waiting on a customer or on hold.' })
      : el('figure', {},
        el('figcaption', { text: 'Unresolved cases per status' }),
        barChart({ title: 'Unresolved cases per status', description, bars }),
        el('details', { class: 'data' }, el('summary', { text: 'Backlog as a table' }),
          table('backlog-table', 'Unresolved cases per status', [{ text: 'Status' }, { text: 'Cases', num: true }],
            BACKLOG_STATUSES.map((s, i) => el('tr', { dataset: { status: s.key } }, cell(s.name), cell(text(counts[i]), true)))))),
    more ? el('p', { class: 'hint', text: `Counts stop at ${COUNT_CAP.toLocaleString('en-GB')} per status.` }) : null);
}

function measuresFigure(all, byCategory) {
  const overall = all.groups[0];
  const groups = byCategory.groups;
  const range = `Cases created in the last ${MEASURE_DAYS} days, as they stand now. Resolution time leaves out the time the SLA clock pauses; business hours follow the business calendar.`;
  const heading = el('h3', { text: 'Service levels, last 30 days' });
  if (!overall || overall.created === 0) {
    return el('div', { id: 'service-measures' }, heading,
      el('p', { id: 'measures-empty', text: `No cases were created in the last ${MEASURE_DAYS} days, so there is nothing to measure yet.` }));
  }
  const rows = groups.map((g) => el('tr', { dataset: { group: g.group } },
    el('th', { scope: 'row', text: humanize(g.group) }),
    cell(String(g.created), true), cell(String(g.solved), true), cell(String(g.backlog), true),
    cell(percent(g.slaAttainment), true),
    cell(hours(g.resolution.business.median), true),
    cell(hours(g.resolution.calendar.median), true)));
  return el('div', { id: 'service-measures' }, heading,
    el('div', { class: 'headline' },
      el('p', { class: 'headline' },
        el('span', { class: 'big', id: 'sla-attainment', text: percent(overall.slaAttainment) }),
        el('span', { class: 'unit', text: 'of solved cases met their resolution target' })),
      el('p', { class: 'headline' },
        el('span', {}, el('strong', { id: 'measures-created', text: String(overall.created) }), ' created'),
        el('span', {}, el('strong', { id: 'measures-solved', text: String(overall.solved) }), ' solved'),
        el('span', {}, el('strong', { id: 'median-resolution', text: hours(overall.resolution.business.median) }), ' business hours median resolution'))),
    el('p', { class: 'hint', text: range }),
    table('measures-table', 'Per category', [{ text: 'Category' }, { text: 'Created', num: true }, { text: 'Solved', num: true },
      { text: 'Unresolved', num: true }, { text: 'SLA attainment', num: true },
      { text: 'Median resolution (business hours)', num: true }, { text: 'Median resolution (calendar hours)', num: true }], rows));
}

function forecastFigure(forecast) {
  const heading = el('h3', { text: 'Next week: expected cases and staffing' });
  if (!forecast.historyCases) {
    return el('div', { id: 'service-forecast' }, heading,
      el('p', { id: 'forecast-empty', text: 'No case history yet: the forecast is made from past cases, so it starts once cases have arrived.' }));
  }
  const zone = forecast.timeZone;
  const dayName = (iso) => new Date(iso).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: zone });
  const intervals = forecast.intervals;
  const total = intervals.reduce((n, i) => n + Number(i.expected), 0);
  const peak = intervals.reduce((n, i) => Math.max(n, i.agentsNeeded ?? 0), 0);
  const bars = intervals.map((i) => ({ label: dayName(i.start), value: Number(i.expected), text: fixed(i.expected, 1),
    sublabel: i.agentsNeeded === undefined ? '' : `${i.agentsNeeded} ${i.agentsNeeded === 1 ? 'agent' : 'agents'}` }));
  const description = intervals.map((i) => `${dayName(i.start)}: ${fixed(i.expected, 2)} cases expected (80% between ${i.lower} and ${i.upper}), ${i.agentsNeeded ?? '—'} agents`).join('; ') + '.';
  const bt = forecast.backtest;
  const backtest = bt
    ? `Checked on the last ${bt.weeks} weeks of history: error ${fixed(bt.mase, 2)} against ${fixed(bt.naiveMase, 2)} for repeating the previous week (lower is better).`
    : 'Not yet checked against past weeks: that needs 6 weeks of history.';
  return el('div', { id: 'service-forecast' }, heading,
    el('p', { class: 'headline' },
      el('span', {}, el('strong', { id: 'forecast-total', text: total.toFixed(1) }), ' cases expected over 7 days'),
      el('span', {}, el('strong', { id: 'forecast-peak', text: String(peak) }), peak === 1 ? ' agent on the busiest day' : ' agents on the busiest day')),
    el('p', { class: 'hint', text: `Days in ${zone}; from ${forecast.historyCases} past cases. Staffing answers 80% of contacts within 20 seconds at 5 minutes each, averaged over the day: plan shifts from hourly figures. ${backtest}` }),
    el('figure', {},
      el('figcaption', { text: 'Expected cases per day' }),
      barChart({ title: 'Expected cases per day next week', description, bars }),
      table('forecast-table', 'Expected cases per day, with the 80% prediction interval and agents needed',
        [{ text: 'Day' }, { text: 'Expected', num: true }, { text: '80% interval', num: true }, { text: 'Agents needed', num: true }],
        intervals.map((i) => el('tr', {},
          cell(el('time', { datetime: i.start, text: dayName(i.start) })),
          cell(fixed(i.expected, 2), true),
          cell(`${i.lower}–${i.upper}`, true),
          cell(i.agentsNeeded === undefined ? '—' : String(i.agentsNeeded), true))))));
}

/**
 * Loads and draws the section into `body`. `get` is the dashboard's GET with the key (it throws when
 * the key was revoked); `describeProblem` explains an error answer.
 */
export async function loadService(body, get, describeProblem) {
  // Now, not rounded down: a case opened a moment ago belongs in the measures.
  const to = new Date();
  const from = new Date(to.getTime() - MEASURE_DAYS * 86_400_000);
  const range = `from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
  // The window the measures cover (and the forecast's start), for whoever asks the API the same question.
  body.dataset.from = from.toISOString();
  body.dataset.to = to.toISOString();
  const [counts, all, byCategory, forecast] = await Promise.all([
    Promise.all(BACKLOG_STATUSES.map((s) => countStatus(get, s.key))),
    get(`/v1/cases/metrics?${range}&groupBy=none`),
    get(`/v1/cases/metrics?${range}&groupBy=category`),
    get(`/v1/cases/forecast?from=${encodeURIComponent(to.toISOString())}&weeks=1&interval=day&${STAFFING}`),
  ]);
  const failedCount = counts.find((c) => c.answer);
  replace(body,
    failedCount ? el('div', {}, el('h3', { text: 'Backlog by status' }), problemText(failedCount.answer, describeProblem)) : backlogFigure(counts),
    all.status === 200 && byCategory.status === 200
      ? measuresFigure(all.body, byCategory.body)
      : el('div', {}, el('h3', { text: 'Service levels, last 30 days' }), problemText(all.status !== 200 ? all : byCategory, describeProblem)),
    forecast.status === 200
      ? forecastFigure(forecast.body)
      : el('div', {}, el('h3', { text: 'Next week: expected cases and staffing' }), problemText(forecast, describeProblem)));
}
