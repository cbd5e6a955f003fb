// A case's status page (web/case.html), opened from the link the contact form emails:
// GET /v1/public/cases?token= to read (status and public messages only), POST /v1/public/cases/messages
// ?token= to reply, with one Idempotency-Key per attempt. Every text from the API goes in as text.
import { call, describeProblem, NetworkError } from './api.js';
import { $, announce, el, newIdempotencyKey, replace } from './dom.js';

const MAX_BODY = 10000;
const TEXT_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// What each status means to the customer; on_hold is work with a third party, still in progress for them.
const STATUS = {
  new: 'Received',
  open: 'In progress',
  pending: 'Waiting for your reply',
  on_hold: 'In progress',
  solved: 'Solved',
  closed: 'Closed',
};

const token = new URLSearchParams(window.location.search).get('token') || '';
const query = '?token=' + encodeURIComponent(token);
const problem = $('#problem');
const statusRegion = $('#status');
const reply = $('#reply');
const replyBody = $('#reply-body');
const sendButton = $('#send-reply');

let attempt = null;
let busy = false;

const length = (s) => Array.from(s).length;

function when(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function show(c) {
  document.title = `${c.number}: ${c.subject}`;
  $('#case-title').textContent = c.organisation ? `Your request to ${c.organisation}` : 'Your request';
  $('#case-number').textContent = c.number;
  $('#case-subject').textContent = c.subject;
  const status = $('#case-status');
  status.textContent = STATUS[c.status] || c.status;
  status.dataset.status = c.status;
  replace($('#messages'), c.messages.map((m) => el('li', { class: `message ${m.author === 'customer' ? 'customer' : 'agent'}` },
    el('p', { class: 'message-meta' }, el('strong', { text: m.author === 'customer' ? 'You' : (c.organisation || 'Support') }),
      ' · ', el('time', { datetime: m.at, text: when(m.at) })),
    el('p', { class: 'message-body', text: m.body }))));
  $('#no-messages').hidden = c.messages.length > 0;
  reply.hidden = !c.acceptsReplies;
  $('#closed').hidden = c.acceptsReplies;
  $('#case').hidden = false;
}

function explain(answer) {
  if (answer.status === 400 && answer.problemType === 'invalid-token') {
    return 'This link is not valid or has expired. Use the newest link we emailed you, or send a new request.';
  }
  if (answer.status === 404) return 'We could not find this request.';
  return 'We could not load your request: ' + describeProblem(answer);
}

async function load() {
  $('#loading').hidden = false;
  try {
    const answer = await call('/v1/public/cases' + query);
    if (answer.status === 200) {
      problem.textContent = '';
      show(answer.body);
    } else {
      $('#case').hidden = true;
      announce(problem, explain(answer));
    }
  } catch (e) {
    if (!(e instanceof NetworkError)) throw e;
    announce(problem, 'We could not reach our server. Check your connection and reload the page.');
  } finally {
    $('#loading').hidden = true;
  }
}

function fieldError(message) {
  const p = $('#reply-error');
  p.textContent = message;
  p.hidden = !message;
  if (message) replyBody.setAttribute('aria-invalid', 'true');
  else replyBody.removeAttribute('aria-invalid');
}

async function send(event) {
  event.preventDefault();
  if (busy) return;
  fieldError('');
  problem.textContent = '';
  const text = replyBody.value;
  if (!text.trim()) return fieldError('Write your reply first.') || replyBody.focus();
  if (length(text) > MAX_BODY) return fieldError(`Shorten your reply to ${MAX_BODY} characters.`) || replyBody.focus();
  if (TEXT_CONTROL.test(text)) return fieldError('Your reply has characters we cannot take.') || replyBody.focus();
  const body = JSON.stringify({ body: text });
  if (!attempt || attempt.body !== body) attempt = { key: newIdempotencyKey(), body };
  busy = true;
  sendButton.setAttribute('aria-disabled', 'true');
  sendButton.textContent = 'Sending…';
  try {
    const answer = await call('/v1/public/cases/messages' + query,
      { method: 'POST', json: attempt.body, headers: { 'Idempotency-Key': attempt.key } });
    if (answer.status === 201) {
      attempt = null;
      replyBody.value = '';
      updateCount();
      await load();
      announce(statusRegion, 'Your reply was sent.', 'ok');
    } else if (answer.status === 409 && answer.problemType === 'closed') {
      await load();
      announce(problem, 'This request is closed and takes no more replies.');
    } else if (answer.status === 429) {
      announce(problem, 'Too many replies in a short time. Please try again later.');
    } else if (answer.status === 400 && answer.errors.some((e) => e.pointer === '/body')) {
      attempt = null;
      fieldError('Check your reply: ' + answer.errors.find((e) => e.pointer === '/body').detail + '.');
    } else {
      attempt = null;
      announce(problem, explain(answer));
    }
  } catch (e) {
    if (!(e instanceof NetworkError)) throw e;
    announce(problem, 'We could not reach our server. Check your connection and press Send reply again.');
  } finally {
    busy = false;
    sendButton.removeAttribute('aria-disabled');
    sendButton.textContent = 'Send reply';
  }
}

function updateCount() {
  const n = length(replyBody.value);
  const counter = $('#reply-count');
  counter.textContent = `${n} of ${MAX_BODY} characters`;
  counter.classList.toggle('over', n > MAX_BODY);
}

replyBody.addEventListener('input', updateCount);
updateCount();
reply.addEventListener('submit', send);
if (!token) {
  $('#loading').hidden = true;
  announce(problem, 'This page is opened from the link in our email; this address has no link in it.');
} else {
  load();
}
