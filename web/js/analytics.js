// The dashboard's analytics section: retention cohorts as a heatmap (a table whose cells are shaded by
// retention and carry their numbers), customer value by segment, and the current quarter's scorecard
// against its targets. Read routes only (GET /v1/analytics/retention, /value, /scorecard), with the
// dashboard's read key. Every figure is shown as the API gives it.
import { barChart } from './charts.js';
import { el, replace } from './dom.js';

const MEASURES = {
  newCustomers: { name: 'New customers', format: (v) => String(v) },
  repeatPurchaseRate: { name: 'Repeat purchase rate', format: (v) => percent(v) },
  revenue: { name: 'Revenue', format: (v, currency) => `${currency} ${Number(v).toFixed(2)}` },
  nps: { name: 'Net Promoter Score', format: (v) => Number(v).toFixed(1) },
  csat: { name: 'CSAT (% satisfied)', format: (v) => Number(v).toFixed(1) },
  slaAttainment: { name: 'SLA attainment', format: (v) => percent(v) },
};

function percent(p) {
  return p === null || p === undefined ? '—' : `${(Number(p) * 100).toFixed(1)}%`;
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

/** The calendar quarter of a date, as the API names it: "2027-Q1". */
export function quarterOf(date) {
  return `${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
}

/** A measure's figure in its unit; variances carry their sign. */
function measureText(name, value, currency, signed) {
  if (value === null || value === undefined) return '—';
  const text = MEASURES[name].format(Math.abs(Number(value)), currency);
  return (Number(value) < 0 ? '−' : signed && Number(value) > 0 ? '+' : '') + text;
}

function cohortSection(matrix) {
  const cohorts = matrix.cohorts || [];
  if (!cohorts.some((c) => c.customers > 0)) {
    return [el('h3', { text: 'Retention by monthly cohort' }),
      el('p', { id: 'cohort-empty', text: 'No customer made a first purchase in these months.' })];
  }
  const width = cohorts.length - 1;
  const offsets = Array.from({ length: width }, (_, i) => i + 1);
  // shades in fifths of retention; the number is always in the cell, so colour only repeats it
  const heat = (r) => (r === null || r === undefined ? 'heat heat-none' : `heat heat-${Math.min(5, Math.round(Number(r) * 5))}`);
  const rows = cohorts.map((c) => el('tr', { dataset: { cohort: c.cohort } },
    el('th', { scope: 'row', text: c.cohort }),
    cell(String(c.customers), true),
    offsets.map((k) => {
      const p = (c.periods || [])[k - 1];
      return p ? el('td', { class: `num ${heat(p.retention)}`, text: percent(p.retention) }) : el('td', { class: 'heat-blank' });
    })));
  const numbers = cohorts.flatMap((c) => (c.periods || []).map((p) => el('tr', { dataset: { cohort: c.cohort, offset: p.offset } },
    cell(c.cohort), cell(p.period), cell(String(p.customers), true), cell(percent(p.retention), true),
    cell(`${matrix.currency} ${p.revenue}`, true), cell(percent(p.revenueRetention), true), cell(percent(p.churnRate), true))));
  return [
    el('h3', { text: 'Retention by monthly cohort' }),
    el('p', { class: 'hint', text: `Customers by the month of their first purchase (${matrix.timeZone}); each cell is the share of `
      + 'the cohort that bought again that many months later. Darker is higher.' }),
    el('div', { class: 'table-wrap' }, el('table', { id: 'cohort-table', class: 'heatmap' },
      el('caption', { text: `Retention, ${matrix.from} to ${matrix.to}` }),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Cohort' }), el('th', { scope: 'col', class: 'num', text: 'Customers' }),
        offsets.map((k) => el('th', { scope: 'col', class: 'num', text: `+${k}` })))),
      el('tbody', {}, rows))),
    el('details', { class: 'data' }, el('summary', { text: 'Revenue retention and churn as a table' }),
      table('cohort-numbers', 'Each cohort in each later month', [{ text: 'Cohort' }, { text: 'Month' }, { text: 'Buyers', num: true },
        { text: 'Retention', num: true }, { text: 'Revenue', num: true }, { text: 'Revenue retention', num: true },
        { text: 'Churn', num: true }], numbers)),
  ];
}

function valueSection(value) {
  const groups = value.groups || [];
  if (!groups.length) {
    return [el('h3', { text: 'Customer value by segment' }), el('p', { id: 'clv-empty', text: 'No segments yet.' })];
  }
  const bars = groups.map((g) => ({ label: g.name, value: Number(g.clv), text: g.clv, pattern: 'solid', color: '#0a58a6' }));
  const description = groups.map((g) => `${g.name}: ${value.currency} ${g.clv} over ${g.customers} customers`).join('; ') + '.';
  const rows = groups.map((g) => el('tr', { dataset: { segment: g.group } },
    cell(el('span', { class: 'customer-name', text: g.name })),
    cell(String(g.customers), true),
    cell(`${value.currency} ${g.clv}`, true),
    cell(g.meanClv === null ? '—' : `${value.currency} ${g.meanClv}`, true),
    cell(percent(g.meanPAlive), true),
    cell(`${value.currency} ${g.valueAtRisk}`, true)));
  const headers = [{ text: 'Segment' }, { text: 'Customers', num: true }, { text: 'Total CLV', num: true },
    { text: 'Mean CLV', num: true }, { text: 'Mean chance still active', num: true }, { text: 'Value at risk', num: true }];
  return [
    el('h3', { text: 'Customer value by segment' }),
    el('figure', {},
      el('figcaption', { text: `Predicted customer lifetime value per segment (${value.currency})` }),
      barChart({ title: 'Predicted CLV per segment', description, bars }),
      table('clv-table', 'Customer value per segment', headers, rows)),
  ];
}

function scorecardSection(card) {
  const rows = (card.measures || []).map((m) => el('tr', { dataset: { measure: m.measure } },
    el('th', { scope: 'row', text: MEASURES[m.measure] ? MEASURES[m.measure].name : m.measure }),
    cell(measureText(m.measure, m.target, card.currency), true),
    cell(measureText(m.measure, m.actual, card.currency), true),
    cell(measureText(m.measure, m.variance, card.currency, true), true),
    cell(m.variancePct === null || m.variancePct === undefined ? '—'
      : `${Number(m.variancePct) < 0 ? '−' : Number(m.variancePct) > 0 ? '+' : ''}${Math.abs(Number(m.variancePct)).toFixed(1)}%`, true)));
  return [
    el('h3', { text: `Scorecard ${card.period}` }),
    el('p', { class: 'hint', text: `${card.from} to ${card.to} (${card.timeZone}). A dash: no target set, or no data yet.` }),
    table('scorecard-table', `Targets and actuals, ${card.period}`, [{ text: 'Measure' }, { text: 'Target', num: true },
      { text: 'Actual', num: true }, { text: 'Variance', num: true }, { text: 'Variance %', num: true }], rows),
  ];
}

/** Loads and shows the section; {@code get} is the dashboard's keyed GET. */
export async function loadAnalytics(body, get, describeProblem, now = new Date()) {
  const period = quarterOf(now);
  body.dataset.period = period;
  const [retention, value, scorecard] = await Promise.all([get('/v1/analytics/retention?cohort=month'),
    get('/v1/analytics/value?groupBy=segment'), get(`/v1/analytics/scorecard?period=${period}`)]);
  const failed = (answer) => [el('p', { class: 'notice error', text: 'Could not load: ' + describeProblem(answer) })];
  replace(body,
    retention.status === 200 ? cohortSection(retention.body) : failed(retention),
    value.status === 200 ? valueSection(value.body) : failed(value),
    scorecard.status === 200 ? scorecardSection(scorecard.body) : failed(scorecard));
}
