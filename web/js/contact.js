// The contact form (web/contact.html): POST /v1/public/t/{tenantSlug}/cases. The API answers 202 with the
// same body whether the address is known or not, and this page shows one message for every 202, so
// nobody learns from it whether an address belongs to a customer. One Idempotency-Key per attempt: a
// double click or a retry after a lost answer opens one case.
import { call, describeProblem, NetworkError } from './api.js';
import { $, announce, el, humanize, newIdempotencyKey, replace } from './dom.js';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const CATEGORY = /^[a-z0-9_-]{1,40}$/;
const MAX_CATEGORIES = 30;
const MAX_BODY = 10000;
// Control characters the API refuses in one-line fields (all but none) and in text (all but tab, LF, CR).
const LINE_CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
const TEXT_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

const form = $('#contact');
const problem = $('#problem');
const button = $('#submit');
const fields = { name: $('#name'), email: $('#email'), category: $('#category'), subject: $('#subject'), body: $('#body') };
const query = new URLSearchParams(window.location.search);
const tenant = (query.get('tenant') || '').trim();
const embedded = query.has('embed') || window.parent !== window;
/** "billing:Billing,returns:Returns" → [{key, name}]; a key alone is shown humanized. */
const categories = (query.get('categories') || '').split(',').map((pair) => {
  const i = pair.indexOf(':');
  const key = (i < 0 ? pair : pair.slice(0, i)).trim();
  const name = (i < 0 ? '' : pair.slice(i + 1)).trim();
  return { key, name: name || humanize(key) };
}).filter((c) => CATEGORY.test(c.key)).slice(0, MAX_CATEGORIES);

let attempt = null;
let busy = false;

const length = (s) => Array.from(s).length; // code points, as the API counts

function setup() {
  if (!SLUG.test(tenant) || tenant.length < 3 || tenant.length > 63) {
    form.hidden = true;
    replace(problem, el('p', { text: 'This contact form is not set up: it does not name the company to write to.' }));
    return false;
  }
  if (query.get('title')) {
    $('#contact-title').textContent = query.get('title').slice(0, 100);
    document.title = $('#contact-title').textContent;
  }
  if (categories.length > 1) {
    replace(fields.category, el('option', { value: '', text: 'Choose…' }),
      categories.map((c) => el('option', { value: c.key, text: c.name })));
    $('#category-field').hidden = false;
  }
  const counter = $('#body-count');
  const update = () => {
    const n = length(fields.body.value);
    counter.textContent = `${n} of ${MAX_BODY} characters`;
    counter.classList.toggle('over', n > MAX_BODY);
  };
  fields.body.addEventListener('input', update);
  update();
  return true;
}

function chosenCategory() {
  if (categories.length === 1) return categories[0].key;
  if (categories.length === 0) return 'general';
  return fields.category.value;
}

function showFieldError(name, message) {
  const p = $(`#${name}-error`);
  p.textContent = message;
  p.hidden = false;
  fields[name].setAttribute('aria-invalid', 'true');
}

function clearErrors() {
  for (const name of Object.keys(fields)) {
    $(`#${name}-error`).hidden = true;
    $(`#${name}-error`).textContent = '';
    fields[name].removeAttribute('aria-invalid');
  }
  $('#error-summary').hidden = true;
  replace($('#error-list'));
  problem.textContent = '';
}

/** Lists the errors at the top (linked to their fields) and moves focus there, as the survey form does. */
function summarize(errors) {
  replace($('#error-list'), errors.map(([name, message]) => el('li', {},
    el('a', { href: `#${name}`, text: message, onclick: (e) => { e.preventDefault(); fields[name].focus(); } }))));
  $('#error-summary').hidden = false;
  $('#error-summary').focus();
}

/** The checks the API makes on the body, so most mistakes are explained before anything is sent. */
function validate(v) {
  const errors = [];
  if (v.name && LINE_CONTROL.test(v.name)) errors.push(['name', 'Your name has characters we cannot take.']);
  if (!v.email) errors.push(['email', 'Enter your email address.']);
  else if (v.email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.email)) errors.push(['email', 'Enter an email address like name@example.com.']);
  if (!v.category) errors.push(['category', 'Choose what your message is about.']);
  if (!v.subject) errors.push(['subject', 'Enter a subject.']);
  else if (LINE_CONTROL.test(v.subject)) errors.push(['subject', 'The subject has characters we cannot take.']);
  if (!v.body.trim()) errors.push(['body', 'Enter your message.']);
  else if (length(v.body) > MAX_BODY) errors.push(['body', `Shorten your message to ${MAX_BODY} characters.`]);
  else if (TEXT_CONTROL.test(v.body)) errors.push(['body', 'Your message has characters we cannot take.']);
  for (const [name, message] of errors) showFieldError(name, message);
  if (errors.length) summarize(errors);
  return errors.length === 0;
}

async function submit(event) {
  event.preventDefault();
  if (busy) return;
  clearErrors();
  const v = {
    name: fields.name.value.trim(),
    email: fields.email.value.trim(),
    category: chosenCategory(),
    subject: fields.subject.value.trim(),
    body: fields.body.value,
  };
  if (!validate(v)) return;
  const payload = { email: v.email, category: v.category, subject: v.subject, body: v.body };
  if (v.name) payload.name = v.name;
  const trap = $('#website').value;
  if (trap) payload.website = trap;
  const body = JSON.stringify(payload);
  if (!attempt || attempt.body !== body) attempt = { key: newIdempotencyKey(), body };

  busy = true;
  button.setAttribute('aria-disabled', 'true');
  button.textContent = 'Sending…';
  try {
    const answer = await call(`/v1/public/t/${encodeURIComponent(tenant)}/cases`,
      { method: 'POST', json: attempt.body, headers: { 'Idempotency-Key': attempt.key } });
    if (answer.status === 202) {
      form.hidden = true;
      $('#contact-lead').hidden = true;
      const done = $('#done');
      done.hidden = false;
      done.focus();
      return;
    }
    if (answer.status === 400) {
      attempt = null; // a rejected request kept nothing; a corrected one starts a new attempt
      const errors = answer.errors.filter((e) => typeof e.pointer === 'string' && fields[e.pointer.slice(1)])
        .map((e) => [e.pointer.slice(1), 'Check this field: ' + e.detail + '.']);
      if (errors.length) {
        for (const [name, message] of errors) showFieldError(name, message);
        summarize(errors);
      } else {
        announce(problem, 'We could not send your message: ' + describeProblem(answer));
      }
    } else if (answer.status === 429) {
      const minutes = answer.retryAfter ? Math.max(1, Math.ceil(answer.retryAfter / 60)) : null;
      announce(problem, 'There have been too many messages from here or for this address. Please try again'
        + (minutes ? ` in ${minutes} minute${minutes === 1 ? '' : 's'}.` : ' later.'));
    } else if (answer.status === 404) {
      announce(problem, 'This contact form is not set up correctly: the company it names does not exist.');
    } else if (answer.status === 503) {
      announce(problem, 'We could not send the email with your link just now. Please press Send again in a minute.');
    } else {
      attempt = null;
      announce(problem, 'We could not send your message: ' + describeProblem(answer));
    }
  } catch (e) {
    if (!(e instanceof NetworkError)) throw e;
    announce(problem, 'We could not reach our server. Check your connection and press Send again.');
  } finally {
    busy = false;
    button.removeAttribute('aria-disabled');
    button.textContent = 'Send';
  }
}

/** Embedded: tell the page around the iframe how tall this one is (contact-embed.js sizes the frame). */
function reportHeight() {
  const send = () => window.parent.postMessage({ type: 'crm-contact:height',
    height: Math.ceil(document.documentElement.getBoundingClientRect().height) }, '*');
  new ResizeObserver(send).observe(document.documentElement);
  send();
}

if (embedded) {
  document.documentElement.classList.add('embedded');
  reportHeight();
}
if (setup()) form.addEventListener('submit', submit);
