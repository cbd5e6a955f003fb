// The preference centre (web/preferences.html), opened from the signed link in a message:
// GET /v1/public/preferences?token= to read, PUT with If-Match to save (docs/api.md, "Public routes").
import { call, describeProblem, NetworkError } from './api.js';
import { $, $$, announce, el, humanize, replace } from './dom.js';

const CHANNELS = [
  { key: 'email', name: 'Email', on: 'Send me messages by email' },
  { key: 'sms', name: 'Text messages (SMS)', on: 'Send me text messages' },
  { key: 'phone', name: 'Phone calls', on: 'Call me' },
  { key: 'post', name: 'Post', on: 'Send me letters' },
  { key: 'push', name: 'Push notifications', on: 'Send me push notifications' },
  { key: 'in_app', name: 'In-app messages', on: 'Show me messages in the app' },
];
// One PUT may change at most 48 consent statuses (docs/api.md, "Limits"); more go in further PUTs.
const MAX_CHANGES_PER_PUT = 48;

const token = new URLSearchParams(window.location.search).get('token');
const resource = '/v1/public/preferences?token=' + encodeURIComponent(token || '');

const form = $('#preferences');
const statusRegion = $('#status');
const problemRegion = $('#problem');
const saveButton = $('#save');
const unsubscribeButton = $('#unsubscribe-all');

/** The preferences as last read or saved (the API's Preferences object). */
let server = null;
let topics = [];
let timeZone = null;
/** The date the pause field showed for server.pausedUntil: unchanged, the exact stored instant goes back. */
let shownPause = '';
/** Controls the person changed since the last fill: only they may turn a pending status into opted_out. */
const touched = new Set();
let busy = false;

function channelState(channel) {
  const c = (server.channels || {})[channel] || {};
  return { status: c.status || null, topics: c.topics || {} };
}

/** Topics to show on a channel: the tenant's, then any the contact still holds that the tenant removed. */
function topicsFor(channel) {
  const list = topics.map((t) => ({ key: t.key, name: t.name || humanize(t.key), description: t.description }));
  for (const key of Object.keys(channelState(channel).topics)) {
    if (!list.some((t) => t.key === key)) list.push({ key, name: humanize(key), description: null });
  }
  return list;
}

function buildChannel(channel) {
  const id = channel.key;
  const topicChecks = topicsFor(id).map((t) => {
    const base = `topic-${id}-${t.key}`;
    return el('div', { class: 'check' },
      el('input', { type: 'checkbox', id: base, dataset: { channel: id, topic: t.key },
        'aria-describedby': [t.description ? `${base}-desc` : null, `${base}-state`].filter(Boolean).join(' ') }),
      el('div', { class: 'check-text' },
        el('label', { for: base, text: t.name }),
        t.description ? el('span', { class: 'hint', id: `${base}-desc`, text: t.description }) : null,
        el('span', { class: 'hint', id: `${base}-state` })));
  });
  return el('fieldset', { class: 'channel', id: `channel-${id}` },
    el('legend', {}, channel.name, ' ', el('span', { class: 'channel-state', id: `state-${id}`, hidden: true })),
    el('div', { class: 'check' },
      el('input', { type: 'checkbox', role: 'switch', id: `ch-${id}`, dataset: { channel: id },
        'aria-controls': `details-${id}`, 'aria-describedby': `state-${id}` }),
      el('label', { for: `ch-${id}`, text: channel.on })),
    el('div', { class: 'channel-details indent', id: `details-${id}` },
      topicChecks.length ? el('fieldset', {}, el('legend', { text: `Topics by ${channel.name.toLowerCase()}` }), topicChecks) : null,
      el('fieldset', {},
        el('legend', { text: `How often by ${channel.name.toLowerCase()}` }),
        el('div', { class: 'check' },
          el('input', { type: 'checkbox', id: `cap-on-${id}`, 'aria-controls': `cap-fields-${id}` }),
          el('label', { for: `cap-on-${id}`, text: 'Limit how many messages I get' })),
        el('div', { class: 'inline-fields cap-fields', id: `cap-fields-${id}` },
          el('span', { 'aria-hidden': 'true', text: 'At most' }),
          el('label', { class: 'visually-hidden', for: `cap-max-${id}`, text: `Most messages by ${channel.name.toLowerCase()}` }),
          el('input', { type: 'number', id: `cap-max-${id}`, min: 1, max: 1000, step: 1, inputmode: 'numeric',
            'aria-describedby': `cap-error-${id}` }),
          el('span', { 'aria-hidden': 'true', text: 'messages every' }),
          el('label', { class: 'visually-hidden', for: `cap-days-${id}`, text: 'Period in days' }),
          el('input', { type: 'number', id: `cap-days-${id}`, min: 1, max: 366, step: 1, inputmode: 'numeric',
            'aria-describedby': `cap-error-${id}` }),
          el('span', { 'aria-hidden': 'true', text: 'days' })),
        el('p', { class: 'field-error', id: `cap-error-${id}`, hidden: true }))));
}

function buildForm() {
  replace($('#channels'), CHANNELS.map(buildChannel));
  for (const input of $$('input, select, textarea', form)) {
    input.addEventListener('change', () => {
      touched.add(input.id);
      syncVisibility();
    });
  }
  const deviceZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  $('#quiet-zone').textContent = timeZone
    ? `Times are in your time zone, ${timeZone}.`
    : 'Times are in the time zone we hold for you or, if we have none, in our own time zone'
      + (deviceZone ? ` (your device is set to ${deviceZone}).` : '.');
}

function localDate(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Shows the server's state in the controls. */
function fill() {
  touched.clear();
  for (const channel of CHANNELS) {
    const id = channel.key;
    const state = channelState(id);
    $(`#ch-${id}`).checked = state.status === 'opted_in';
    const badge = $(`#state-${id}`);
    badge.hidden = state.status !== 'pending';
    badge.className = 'channel-state pending';
    badge.textContent = state.status === 'pending' ? 'Awaiting your confirmation: turn on to confirm' : '';
    for (const input of $$(`input[data-topic][data-channel="${id}"]`)) {
      const status = state.topics[input.dataset.topic] || null;
      input.checked = status === 'opted_in';
      $(`#${input.id}-state`).textContent = status === 'pending' ? 'Awaiting your confirmation' : '';
    }
    const cap = (server.frequencyCaps || {})[id];
    $(`#cap-on-${id}`).checked = Boolean(cap);
    $(`#cap-max-${id}`).value = cap ? String(cap.max) : '';
    const days = cap ? /^P(\d+)D$/.exec(cap.period) : null;
    $(`#cap-days-${id}`).value = days ? days[1] : '';
  }
  const quiet = server.quietHours;
  $('#quiet-on').checked = Boolean(quiet);
  $('#quiet-start').value = quiet ? quiet.start : '21:00';
  $('#quiet-end').value = quiet ? quiet.end : '08:00';
  const paused = server.pausedUntil && new Date(server.pausedUntil) > new Date() ? localDate(server.pausedUntil) : '';
  shownPause = paused;
  $('#pause').value = paused;
  clearFieldErrors();
  syncVisibility();
}

function syncVisibility() {
  for (const channel of CHANNELS) {
    const id = channel.key;
    const on = $(`#ch-${id}`).checked;
    $(`#details-${id}`).hidden = !on;
    $(`#cap-fields-${id}`).hidden = !$(`#cap-on-${id}`).checked;
  }
  $('#quiet-times').hidden = !$('#quiet-on').checked;
}

/** The status a control stands for, given what it was: untouched pending stays pending. */
function resolve(was, checked, wasTouched) {
  if (checked) return 'opted_in';
  if (was === 'opted_in') return 'opted_out';
  if (was === 'pending' && wasTouched) return 'opted_out';
  return was;
}

function clearFieldErrors() {
  for (const p of $$('.field-error', form)) {
    p.hidden = true;
    p.textContent = '';
  }
  for (const input of $$('[aria-invalid]', form)) input.removeAttribute('aria-invalid');
}

function fieldError(errorId, inputs, message) {
  const p = $(`#${errorId}`);
  p.textContent = message;
  p.hidden = false;
  for (const input of inputs) input.setAttribute('aria-invalid', 'true');
}

function wholeNumber(text, min, max) {
  if (!/^\d+$/.test(text.trim())) return null;
  const n = Number.parseInt(text, 10);
  return n >= min && n <= max ? n : null;
}

/** Reads the controls into a PUT body; problems come back with the inputs they concern. */
function collect() {
  const invalid = [];
  const channels = {};
  const frequencyCaps = {};
  for (const channel of CHANNELS) {
    const id = channel.key;
    const was = channelState(id);
    const sw = $(`#ch-${id}`);
    const status = resolve(was.status, sw.checked, touched.has(sw.id));
    const topicStatuses = {};
    for (const input of $$(`input[data-topic][data-channel="${id}"]`)) {
      const s = resolve(was.topics[input.dataset.topic] || null, input.checked, touched.has(input.id));
      if (s) topicStatuses[input.dataset.topic] = s;
    }
    if (status || Object.keys(topicStatuses).length) channels[id] = { status, topics: topicStatuses };

    if (!sw.checked) {
      // Hidden controls keep what is stored: a cap set earlier stays for when the channel is back on.
      const stored = (server.frequencyCaps || {})[id];
      if (stored) frequencyCaps[id] = stored;
    } else if ($(`#cap-on-${id}`).checked) {
      const maxInput = $(`#cap-max-${id}`);
      const daysInput = $(`#cap-days-${id}`);
      const max = wholeNumber(maxInput.value, 1, 1000);
      const days = wholeNumber(daysInput.value, 1, 366);
      if (max === null || days === null) {
        const bad = [max === null ? maxInput : null, days === null ? daysInput : null].filter(Boolean);
        invalid.push({ errorId: `cap-error-${id}`, inputs: bad,
          message: 'Enter a whole number of messages from 1 to 1000 and a number of days from 1 to 366.' });
      } else {
        frequencyCaps[id] = { max, period: `P${days}D` };
      }
    }
  }

  let quietHours = null;
  if ($('#quiet-on').checked) {
    const start = $('#quiet-start');
    const end = $('#quiet-end');
    const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;
    if (!hhmm.test(start.value) || !hhmm.test(end.value)) {
      invalid.push({ errorId: 'quiet-error', inputs: [start, end], message: 'Enter both times, as hours and minutes.' });
    } else if (start.value === end.value) {
      invalid.push({ errorId: 'quiet-error', inputs: [start, end], message: 'The quiet hours must start and end at different times.' });
    } else {
      quietHours = { start: start.value, end: end.value };
    }
  }

  let pausedUntil = null;
  const pause = $('#pause');
  if (pause.value === shownPause) {
    pausedUntil = server.pausedUntil || null;
  } else if (pause.value) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(pause.value);
    const until = m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
    if (!until || Number.isNaN(until.getTime())) {
      invalid.push({ errorId: 'pause-error', inputs: [pause], message: 'Enter a date, or leave it empty for no pause.' });
    } else {
      // Local midnight of the chosen day: messages start again that morning on the person's own clock.
      pausedUntil = until.toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
  }
  return { body: { channels, frequencyCaps, quietHours, pausedUntil }, invalid };
}

function setBusy(value) {
  busy = value;
  form.setAttribute('aria-busy', String(value));
  // aria-disabled rather than disabled: a disabled button drops keyboard focus to the page.
  for (const b of [saveButton, unsubscribeButton]) b.setAttribute('aria-disabled', String(value));
  saveButton.textContent = value ? 'Saving…' : 'Save preferences';
}

function clearMessages() {
  statusRegion.textContent = '';
  problemRegion.textContent = '';
}

/** Shows a problem that ends the page's use (bad link, contact gone) instead of the form. */
function fatal(message) {
  form.hidden = true;
  $('#loading').hidden = true;
  replace(problemRegion, el('h2', { text: 'We can’t show your preferences' }), el('p', { text: message }));
}

function linkProblem(answer) {
  if (answer.problemType === 'invalid-token') {
    return 'This link is not valid any more: it may be incomplete or have expired (links work for 90 days). '
      + 'Please use the preferences link in a recent message from us.';
  }
  if (answer.status === 404) {
    return 'We could not find your preferences. If you asked us to delete your data, there is nothing left to manage.';
  }
  return null;
}

async function load() {
  if (!token) {
    fatal('This page opens from the “manage your preferences” link in a message from us. That link was not complete.');
    return false;
  }
  let answer;
  try {
    answer = await call(resource);
  } catch (e) {
    if (!(e instanceof NetworkError)) throw e;
    fatal('We could not reach our server. Check your connection and reload the page.');
    return false;
  }
  if (answer.status !== 200) {
    fatal(linkProblem(answer) || describeProblem(answer));
    return false;
  }
  server = answer.body.preferences;
  topics = Array.isArray(answer.body.topics) ? answer.body.topics : [];
  // The API may name the zone quiet hours are judged in; until it does, the hint says which one applies.
  timeZone = typeof answer.body.timeZone === 'string' ? answer.body.timeZone : null;
  buildForm();
  fill();
  $('#loading').hidden = true;
  form.hidden = false;
  return true;
}

/** Applies API validation errors to the fields they point at; the rest are listed in the alert. */
function showApiErrors(answer) {
  const general = [];
  for (const error of answer.errors) {
    const pointer = error.pointer || '';
    let m;
    if ((m = /^\/frequencyCaps\/([a-z_]+)/.exec(pointer)) && $(`#cap-error-${m[1]}`)) {
      fieldError(`cap-error-${m[1]}`, [$(`#cap-max-${m[1]}`), $(`#cap-days-${m[1]}`)], error.detail);
    } else if (pointer.startsWith('/quietHours')) {
      fieldError('quiet-error', [$('#quiet-start'), $('#quiet-end')], error.detail);
    } else if (pointer.startsWith('/pausedUntil')) {
      fieldError('pause-error', [$('#pause')], error.detail);
    } else {
      general.push(error.detail);
    }
  }
  replace(problemRegion, el('h2', { text: 'Your preferences were not saved' }),
    el('p', { text: 'Please check the highlighted fields.' }),
    general.length ? el('ul', {}, general.map((d) => el('li', { text: d }))) : null);
}

/** PUT with If-Match; on success the saved state is shown. @return true when saved */
async function put(body) {
  let answer;
  try {
    answer = await call(resource, { method: 'PUT', json: body, headers: { 'If-Match': `"${server.version}"` } });
  } catch (e) {
    if (!(e instanceof NetworkError)) throw e;
    announce(problemRegion, 'We could not reach our server, so your changes may not have been saved. '
      + 'Check your connection and press Save again.');
    return false;
  }
  if (answer.status === 200) {
    server = answer.body;
    fill();
    return true;
  }
  if (answer.status === 412) {
    // Someone (another tab, another device) saved since this page read the preferences.
    if (await load()) {
      announce(problemRegion, 'Your preferences were changed somewhere else (another tab or device?) while this '
        + 'page was open, so nothing was saved. We have loaded the latest ones: please check them and save again.');
    }
    return false;
  }
  if (answer.status === 400 && answer.problemType === 'validation-error') {
    showApiErrors(answer);
    return false;
  }
  const link = linkProblem(answer);
  if (link) {
    fatal(link);
  } else if (answer.status === 503 || answer.status === 429) {
    announce(problemRegion, 'We could not save just now because we are busy. Please try again in a moment.');
  } else {
    announce(problemRegion, 'Your preferences were not saved: ' + describeProblem(answer));
  }
  return false;
}

function focusFirstInvalid(invalid) {
  const first = invalid.find((i) => i.inputs.length)?.inputs[0];
  if (first) first.focus();
}

async function save(event) {
  event.preventDefault();
  if (busy || !server) return;
  clearMessages();
  clearFieldErrors();
  const { body, invalid } = collect();
  if (invalid.length) {
    for (const i of invalid) fieldError(i.errorId, i.inputs, i.message);
    replace(problemRegion, el('h2', { text: 'Your preferences were not saved' }),
      el('p', { text: 'Please correct the highlighted fields.' }));
    focusFirstInvalid(invalid);
    return;
  }
  setBusy(true);
  try {
    if (await put(body)) {
      announce(statusRegion, 'Your preferences were saved.', 'ok');
    }
  } finally {
    setBusy(false);
  }
}

function bodyOf(state) {
  const channels = {};
  for (const [key, c] of Object.entries(state.channels || {})) {
    channels[key] = { status: c.status || null, topics: { ...(c.topics || {}) } };
  }
  return { channels, frequencyCaps: state.frequencyCaps || {}, quietHours: state.quietHours || null,
    pausedUntil: state.pausedUntil || null };
}

/**
 * Every channel and every topic the contact has said yes to (or that awaits confirmation) becomes
 * opted_out. Channel statuses go first: once they are out nothing marketing can be sent, even if a
 * later batch of topic changes fails.
 */
function unsubscribeChanges(state) {
  const changes = [];
  for (const channel of CHANNELS) {
    const c = (state.channels || {})[channel.key] || {};
    if (c.status !== 'opted_out') changes.push([channel.key, null]);
  }
  for (const channel of CHANNELS) {
    const c = (state.channels || {})[channel.key] || {};
    for (const [topic, status] of Object.entries(c.topics || {})) {
      if (status === 'opted_in' || status === 'pending') changes.push([channel.key, topic]);
    }
  }
  return changes;
}

async function unsubscribeAll() {
  if (busy || !server) return;
  clearMessages();
  clearFieldErrors();
  setBusy(true);
  try {
    for (;;) {
      const changes = unsubscribeChanges(server).slice(0, MAX_CHANGES_PER_PUT);
      if (!changes.length) break;
      const body = bodyOf(server);
      for (const [channel, topic] of changes) {
        body.channels[channel] = body.channels[channel] || { status: null, topics: {} };
        if (topic === null) body.channels[channel].status = 'opted_out';
        else body.channels[channel].topics[topic] = 'opted_out';
      }
      if (!(await put(body))) return;
    }
    announce(statusRegion, 'You are unsubscribed from everything: we will not send you marketing messages on any '
      + 'channel. You can turn things back on here at any time.', 'ok');
  } finally {
    setBusy(false);
  }
}

form.addEventListener('submit', save);
unsubscribeButton.addEventListener('click', unsubscribeAll);
$('#pause-clear').addEventListener('click', () => {
  $('#pause').value = '';
  $('#pause').focus();
});
load();
