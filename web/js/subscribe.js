// The double opt-in sign-up (web/subscribe.html): POST /v1/public/t/{tenantSlug}/subscribe. The API
// answers 202 with the same body whether the address is new, known or confirmed already, and this page
// shows one message for all of them, so nobody learns from it whether an address is on the list.
import { call, describeProblem, NetworkError } from './api.js';
import { $, announce, el, humanize, newIdempotencyKey, replace } from './dom.js';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const TOPIC = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const MAX_TOPICS = 10;

const form = $('#subscribe');
const problem = $('#problem');
const button = $('#submit');
const email = $('#email');
const query = new URLSearchParams(window.location.search);
const tenant = (query.get('tenant') || form.dataset.tenant || '').trim();
const topics = (query.get('topics') || form.dataset.topics || '')
  .split(',').map((t) => t.trim()).filter((t) => t && TOPIC.test(t)).slice(0, MAX_TOPICS);

/** One key per attempt: a retry of the same address and topics reuses it, a changed form gets a new one. */
let attempt = null;
let busy = false;

function setup() {
  if (!SLUG.test(tenant) || tenant.length < 3 || tenant.length > 63) {
    form.hidden = true;
    replace(problem, el('p', { text: 'This sign-up form is not set up: it does not name the company to subscribe to.' }));
    return;
  }
  if (topics.length > 1) {
    replace($('#topics'), topics.map((t) => el('div', { class: 'check' },
      el('input', { type: 'checkbox', id: `topic-${t}`, value: t, name: 'topics' }),
      el('label', { for: `topic-${t}`, text: humanize(t) }))));
    $('#topics-field').hidden = false;
  } else if (topics.length === 1) {
    const p = $('#single-topic');
    p.textContent = `You are subscribing to: ${humanize(topics[0])}.`;
    p.hidden = false;
  }
}

function chosenTopics() {
  if (topics.length <= 1) return topics;
  return topics.filter((t) => $(`#topic-${t}`).checked);
}

function showFieldError(id, input, message) {
  const p = $(`#${id}`);
  p.textContent = message;
  p.hidden = false;
  if (input) input.setAttribute('aria-invalid', 'true');
}

function clearErrors() {
  for (const id of ['email-error', 'topics-error']) {
    $(`#${id}`).hidden = true;
    $(`#${id}`).textContent = '';
  }
  email.removeAttribute('aria-invalid');
  problem.textContent = '';
}

/** The checks the API makes on the body, so most mistakes are explained before anything is sent. */
function validate(address, chosen) {
  let ok = true;
  // The API's own check is stricter (it normalises and checks the domain); this catches typos early.
  if (!address) {
    showFieldError('email-error', email, 'Enter your email address.');
    ok = false;
  } else if (address.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) {
    showFieldError('email-error', email, 'Enter an email address like name@example.com.');
    ok = false;
  }
  if (topics.length > 1 && chosen.length === 0) {
    showFieldError('topics-error', null, 'Choose at least one thing to receive.');
    if (ok) $(`#topic-${topics[0]}`).focus();
    ok = false;
  }
  if (!ok && email.getAttribute('aria-invalid') === 'true') email.focus();
  return ok;
}

async function submit(event) {
  event.preventDefault();
  if (busy) return;
  clearErrors();
  const address = email.value.trim();
  const chosen = chosenTopics();
  if (!validate(address, chosen)) return;
  const body = JSON.stringify({ email: address, topics: chosen, channel: 'email' });
  if (!attempt || attempt.body !== body) attempt = { key: newIdempotencyKey(), body };

  busy = true;
  button.setAttribute('aria-disabled', 'true');
  button.textContent = 'Sending…';
  try {
    const answer = await call(`/v1/public/t/${encodeURIComponent(tenant)}/subscribe`,
      { method: 'POST', json: attempt.body, headers: { 'Idempotency-Key': attempt.key } });
    if (answer.status === 202) {
      form.hidden = true;
      const done = $('#done');
      done.hidden = false;
      done.focus();
      return;
    }
    if (answer.status === 400) {
      attempt = null; // a rejected request kept nothing; a corrected one starts a new attempt
      const emailErrors = answer.errors.filter((e) => e.pointer === '/email');
      if (emailErrors.length) {
        showFieldError('email-error', email, 'Check this address: ' + emailErrors[0].detail + '.');
        email.focus();
      } else {
        announce(problem, 'We could not sign you up: ' + describeProblem(answer));
      }
    } else if (answer.status === 429) {
      const minutes = answer.retryAfter ? Math.max(1, Math.ceil(answer.retryAfter / 60)) : null;
      announce(problem, 'There have been too many sign-ups from here or for this address. Please try again'
        + (minutes ? ` in ${minutes} minute${minutes === 1 ? '' : 's'}.` : ' later.'));
    } else if (answer.status === 404) {
      announce(problem, 'This sign-up form is not set up correctly: the company it names does not exist.');
    } else if (answer.status === 503) {
      announce(problem, 'We could not send the confirmation email just now. Please try again in a minute.');
    } else {
      attempt = null;
      announce(problem, 'We could not sign you up: ' + describeProblem(answer));
    }
  } catch (e) {
    if (!(e instanceof NetworkError)) throw e;
    announce(problem, 'We could not reach our server. Check your connection and press Subscribe again.');
  } finally {
    busy = false;
    button.removeAttribute('aria-disabled');
    button.textContent = 'Subscribe';
  }
}

setup();
form.addEventListener('submit', submit);
