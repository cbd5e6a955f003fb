// The survey form (web/survey.html): renders any survey from GET /v1/public/surveys/{id}, checks the
// answers the way the API does (functions/surveys Answers.validate), and submits them with one
// Idempotency-Key per attempt, so a double click or a retry after a lost answer stores one response.
import { call, describeProblem, NetworkError } from './api.js';
import { $, $$, el, newIdempotencyKey, replace, sleep } from './dom.js';

const SURVEY_ID = /^srv_[0-9a-z]{20}$/;
// What the ends of the standard scales mean; the API gives only the question's label and range.
const ANCHORS = {
  nps: ['Not at all likely', 'Extremely likely'],
  csat: ['Very dissatisfied', 'Very satisfied'],
  ces: ['Very difficult', 'Very easy'],
};
// Control characters the API refuses in text answers (C0 but tab, LF, CR; DEL; C1) and lone surrogates.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Automatic retries of one attempt when its outcome is unknown (no answer, busy, rate-limited).
const AUTO_RETRIES = 3;

const query = new URLSearchParams(window.location.search);
// survey.html?id=… or, behind a host that rewrites respondent links, /surveys/{id}?respondentToken=…
const surveyId = query.get('id') || (/\/surveys\/(srv_[0-9a-z]{20})\/?$/.exec(window.location.pathname) || [])[1] || '';
const respondentToken = query.get('respondentToken') || null;
const embedded = query.has('embed') || window.parent !== window;

const problem = $('#problem');
const container = $('#survey');

let survey = null;
/** The submission under way: its key and exact body, reused for every retry until it is settled. */
let attempt = null;
let inFlight = false;

const length = (s) => Array.from(s).length; // code points, as the API counts

function inputId(question, suffix) {
  return `q-${question.id}${suffix === undefined ? '' : '-' + suffix}`;
}

function requiredMark(question) {
  return question.required ? el('span', { class: 'required-mark', text: ' (required)' }) : null;
}

function errorNode(question) {
  return el('p', { class: 'field-error', id: inputId(question, 'error'), hidden: true });
}

function scoreQuestion(question) {
  const values = [];
  for (let v = question.min; v <= question.max; v++) values.push(v);
  const anchors = question.id === 'score' ? ANCHORS[survey.kind] : null;
  const hintId = anchors ? inputId(question, 'hint') : null;
  return el('fieldset', { class: 'question', id: inputId(question, 'box'), dataset: { question: question.id },
    'aria-describedby': [hintId, inputId(question, 'error')].filter(Boolean).join(' ') },
  el('legend', {}, question.label, requiredMark(question)),
  el('div', { class: 'scale' }, values.map((v) => el('label', { class: 'scale-option' },
    el('input', { type: 'radio', name: question.id, id: inputId(question, String(v).replace('-', 'm')), value: String(v) }),
    el('span', { text: String(v) })))),
  anchors ? el('p', { class: 'scale-anchors', id: hintId },
    el('span', { text: `${question.min} = ${anchors[0]}` }), el('span', { text: `${question.max} = ${anchors[1]}` })) : null,
  errorNode(question));
}

function choiceQuestion(question, multi) {
  let hint = null;
  if (multi) {
    const n = question.options.length;
    const text = question.minSelected === question.maxSelected
      ? `Choose ${question.minSelected}.`
      : question.maxSelected >= n && question.minSelected <= 1
        ? 'Choose any that apply.'
        : `Choose from ${question.minSelected} to ${question.maxSelected}.`;
    hint = el('p', { class: 'hint', id: inputId(question, 'hint'), text });
  }
  return el('fieldset', { class: 'question', id: inputId(question, 'box'), dataset: { question: question.id },
    'aria-describedby': [hint ? inputId(question, 'hint') : null, inputId(question, 'error')].filter(Boolean).join(' ') },
  el('legend', {}, question.label, requiredMark(question)),
  hint,
  question.options.map((o) => el('div', { class: 'check' },
    el('input', { type: multi ? 'checkbox' : 'radio', name: question.id, id: inputId(question, o.value), value: o.value }),
    el('label', { for: inputId(question, o.value), text: o.label }))),
  errorNode(question));
}

function textQuestion(question) {
  const id = inputId(question);
  const counter = el('p', { class: 'char-count', id: inputId(question, 'count'), 'aria-live': 'off' });
  const area = el('textarea', { id, name: question.id, rows: 4, spellcheck: 'true',
    'aria-describedby': `${inputId(question, 'count')} ${inputId(question, 'error')}` });
  const update = () => {
    const n = length(area.value);
    counter.textContent = `${n} of ${question.maxLength} characters`;
    counter.classList.toggle('over', n > question.maxLength);
  };
  area.addEventListener('input', update);
  update();
  return el('div', { class: 'question', id: inputId(question, 'box'), dataset: { question: question.id } },
    el('label', { class: 'question-label', for: id }, question.label, requiredMark(question)),
    area, counter, errorNode(question));
}

function honeypot() {
  // Bots fill every field; people never see this one, and screen readers skip it (aria-hidden), so
  // nobody is trapped by it. A filled one is answered 201 by the API and nothing is stored.
  return el('div', { class: 'hp', 'aria-hidden': 'true' },
    el('label', { for: 'website', text: 'Leave this field empty' }),
    el('input', { type: 'text', id: 'website', name: 'website', tabindex: '-1', autocomplete: 'off' }));
}

function render() {
  document.title = survey.title;
  $('#survey-title').textContent = survey.title;
  const questions = survey.questions.map((q) => {
    switch (q.type) {
      case 'score': return scoreQuestion(q);
      case 'single_choice': return choiceQuestion(q, false);
      case 'multi_choice': return choiceQuestion(q, true);
      case 'text': return textQuestion(q);
      default: return null; // a type this page does not know yet: the API will say if it was required
    }
  });
  const anyRequired = survey.questions.some((q) => q.required);
  const form = el('form', { id: 'survey-form', novalidate: true, 'aria-labelledby': 'survey-title' },
    el('div', { id: 'error-summary', class: 'notice error', tabindex: '-1', hidden: true, 'aria-labelledby': 'error-summary-heading' },
      el('h2', { id: 'error-summary-heading', text: 'Please check your answers' }), el('ul', { id: 'error-list' })),
    anyRequired ? el('p', { class: 'hint', text: 'Questions marked (required) need an answer.' }) : null,
    el('fieldset', { id: 'answers', class: 'plain' }, questions),
    honeypot(),
    el('div', { class: 'actions' }, el('button', { type: 'submit', id: 'submit', text: 'Send' })),
    el('p', { id: 'submit-status', role: 'status', 'aria-live': 'polite' }));
  form.addEventListener('submit', onSubmit);
  replace(container, form);
}

/** The answers as the API takes them: only answered questions, values in their JSON types. */
function collect() {
  const answers = {};
  for (const q of survey.questions) {
    if (q.type === 'score' || q.type === 'single_choice') {
      const checked = $(`input[name="${q.id}"]:checked`, container);
      if (checked) answers[q.id] = q.type === 'score' ? Number.parseInt(checked.value, 10) : checked.value;
    } else if (q.type === 'multi_choice') {
      const values = $$(`input[name="${q.id}"]:checked`, container).map((i) => i.value);
      if (values.length) answers[q.id] = values;
    } else if (q.type === 'text') {
      const value = $(`#${inputId(q)}`).value;
      // blank is unanswered, as the API treats it; anything else is kept exactly as typed
      if (value.trim()) answers[q.id] = value;
    }
  }
  return answers;
}

/** The API's checks (Answers.validate), each problem keyed by question id. */
function validate(answers) {
  const problems = new Map();
  for (const q of survey.questions) {
    const a = answers[q.id];
    if (a === undefined) {
      if (q.required) problems.set(q.id, q.type === 'text' ? 'Please write an answer.' : 'Please choose an answer.');
      continue;
    }
    if (q.type === 'score' && !(Number.isInteger(a) && a >= q.min && a <= q.max)) {
      problems.set(q.id, `Choose a number from ${q.min} to ${q.max}.`);
    } else if (q.type === 'single_choice' && !q.options.some((o) => o.value === a)) {
      problems.set(q.id, 'Choose one of the options.');
    } else if (q.type === 'multi_choice') {
      if (a.length < q.minSelected) problems.set(q.id, `Choose at least ${q.minSelected}.`);
      else if (a.length > q.maxSelected) problems.set(q.id, `Choose at most ${q.maxSelected}.`);
    } else if (q.type === 'text') {
      if (length(a) > q.maxLength) problems.set(q.id, `Please shorten this to at most ${q.maxLength} characters (now ${length(a)}).`);
      else if (CONTROL.test(a)) problems.set(q.id, 'This contains characters that cannot be stored; please retype it.');
    }
  }
  return problems;
}

function firstInput(questionId) {
  return $(`[data-question="${questionId}"] input, [data-question="${questionId}"] textarea`, container);
}

function clearErrors() {
  for (const box of $$('.question', container)) box.classList.remove('invalid');
  for (const p of $$('.field-error', container)) {
    p.hidden = true;
    p.textContent = '';
  }
  for (const input of $$('[aria-invalid]', container)) input.removeAttribute('aria-invalid');
  $('#error-summary').hidden = true;
  replace($('#error-list'));
  problem.textContent = '';
}

/** Shows each message next to its question and in a summary whose links move focus to the field. */
function showErrors(problems, general = []) {
  const items = [];
  for (const [id, message] of problems) {
    const question = survey.questions.find((q) => q.id === id);
    const box = $(`[data-question="${id}"]`, container);
    if (!question || !box) {
      general.push(message);
      continue;
    }
    box.classList.add('invalid');
    const p = $(`#${inputId(question, 'error')}`);
    p.textContent = message;
    p.hidden = false;
    for (const input of $$('input, textarea', box)) input.setAttribute('aria-invalid', 'true');
    const target = firstInput(id);
    const link = el('a', { href: `#${target.id}`, text: `${question.label} — ${message}` });
    link.addEventListener('click', (e) => {
      e.preventDefault();
      target.focus();
    });
    items.push(el('li', {}, link));
  }
  for (const message of general) items.push(el('li', { text: message }));
  replace($('#error-list'), items);
  const summary = $('#error-summary');
  summary.hidden = false;
  summary.focus();
}

/** The API's detail, made into a sentence ("required" becomes a request for an answer). */
function apiMessage(detail) {
  if (!detail) return 'Please check this answer.';
  if (detail === 'required') return 'Please answer this question.';
  return detail.charAt(0).toUpperCase() + detail.slice(1) + (/[.!?]$/.test(detail) ? '' : '.');
}

function showApiErrors(answer) {
  const problems = new Map();
  const general = [];
  for (const error of answer.errors) {
    const m = /^\/answers\/([^/]+)/.exec(error.pointer || '');
    if (m && survey.questions.some((q) => q.id === m[1])) {
      if (!problems.has(m[1])) problems.set(m[1], apiMessage(error.detail));
    } else if ((error.pointer || '') === '/respondentToken') {
      general.push('Your personal survey link is not valid any more: ' + (error.detail || 'please use the link in your most recent email') + '.');
    } else {
      general.push(apiMessage(error.detail));
    }
  }
  if (!problems.size && !general.length) general.push(describeProblem(answer));
  showErrors(problems, general);
}

function setSending(sending, label) {
  inFlight = sending;
  const button = $('#submit');
  button.disabled = sending;
  button.setAttribute('aria-busy', String(sending));
  if (label) button.textContent = label;
}

/** While an attempt is unsettled its answers must not change: a retry has to send the same body. */
function lockAnswers(locked) {
  $('#answers').disabled = locked;
}

function status(text) {
  $('#submit-status').textContent = text;
}

function thankYou(answers) {
  const summary = el('dl', { class: 'answers-summary' });
  for (const q of survey.questions) {
    const a = answers[q.id];
    if (a === undefined) continue;
    let shown;
    if (q.type === 'single_choice') shown = (q.options.find((o) => o.value === a) || { label: a }).label;
    else if (q.type === 'multi_choice') shown = a.map((v) => (q.options.find((o) => o.value === v) || { label: v }).label).join(', ');
    else shown = String(a);
    summary.append(el('dt', { text: q.label }), el('dd', { text: shown }));
  }
  const thanks = el('section', { id: 'thanks', class: 'notice ok', tabindex: '-1', 'aria-labelledby': 'thanks-heading' },
    el('h2', { id: 'thanks-heading', text: 'Thank you!' }),
    el('p', { text: 'Your answers have been recorded.' }),
    el('details', {}, el('summary', { text: 'Your answers' }), summary));
  replace(container, thanks);
  thanks.focus();
}

async function send() {
  setSending(true, 'Sending…');
  lockAnswers(true);
  status('Sending your answers…');
  for (let tries = 0; ; tries++) {
    let answer = null;
    try {
      answer = await call(`/v1/public/surveys/${surveyId}/responses`,
        { method: 'POST', json: attempt.body, headers: { 'Idempotency-Key': attempt.key } });
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
    }
    if (answer && answer.status === 201) {
      thankYou(attempt.answers);
      attempt = null;
      inFlight = false;
      return;
    }
    // No answer, a duplicate still running (409 idempotency-in-progress), busy or rate-limited: the
    // outcome is unknown or temporary, so the same attempt goes again with the same key.
    const transient = !answer || answer.status >= 500 || answer.status === 429
      || answer.problemType === 'idempotency-in-progress';
    if (transient) {
      if (tries < AUTO_RETRIES) {
        const wait = answer && answer.retryAfter !== null ? Math.min(answer.retryAfter, 10) * 1000 : 500 * 2 ** tries;
        status('Still sending…');
        await sleep(wait);
        continue;
      }
      setSending(false, 'Try again');
      $('#submit').focus(); // disabling the button dropped focus to the page
      status('');
      problem.textContent = answer && answer.status === 429
        ? 'Many answers are arriving right now. Your answers are kept: press “Try again” in a minute.'
        : 'We could not reach our server. Your answers are kept: press “Try again” to send them.';
      return;
    }
    // Settled without storing anything: a corrected or new submission is a new attempt.
    attempt = null;
    lockAnswers(false);
    setSending(false, 'Send');
    status('');
    if (answer.status === 400) {
      showApiErrors(answer);
    } else if (answer.problemType === 'closed') {
      replace(container, el('p', { class: 'notice info', text: 'This survey has closed, so your answers could not be recorded. Thank you for your time.' }));
    } else if (answer.problemType === 'token-used') {
      replace(container, el('p', { class: 'notice info', text: 'You have already answered this survey with your personal link. Thank you!' }));
    } else if (answer.status === 404) {
      replace(container, el('p', { class: 'notice error', text: 'This survey no longer exists.' }));
    } else {
      problem.textContent = 'Your answers could not be recorded: ' + describeProblem(answer);
      $('#submit').focus();
    }
    return;
  }
}

function onSubmit(event) {
  event.preventDefault();
  // The button is disabled while a request is out; this guards the same-tick second click too.
  if (inFlight) return;
  if (!attempt) {
    clearErrors();
    const answers = collect();
    const problems = validate(answers);
    if (problems.size) {
      showErrors(problems);
      return;
    }
    const body = { answers };
    if (respondentToken) body.respondentToken = respondentToken;
    const trap = $('#website').value;
    if (trap) body.website = trap;
    attempt = { key: newIdempotencyKey(), body: JSON.stringify(body), answers };
  } else {
    problem.textContent = '';
  }
  send();
}

function unavailable(message) {
  $('#loading').hidden = true;
  replace(container, el('p', { class: 'notice info', text: message }));
}

async function load() {
  if (!SURVEY_ID.test(surveyId)) {
    unavailable('This survey link is not complete. Please use the link you were given.');
    return;
  }
  let answer;
  try {
    answer = await call(`/v1/public/surveys/${surveyId}`);
  } catch (e) {
    if (!(e instanceof NetworkError)) throw e;
    unavailable('We could not load the survey. Check your connection and reload the page.');
    return;
  }
  if (answer.status === 404) {
    unavailable('This survey does not exist (any more).');
    return;
  }
  if (answer.status !== 200) {
    unavailable('We could not load the survey: ' + describeProblem(answer));
    return;
  }
  survey = answer.body;
  $('#loading').hidden = true;
  document.title = survey.title;
  $('#survey-title').textContent = survey.title;
  if (survey.state === 'scheduled') {
    const opens = survey.opensAt ? new Date(survey.opensAt).toLocaleString() : 'soon';
    replace(container, el('p', { class: 'notice info', text: `This survey opens on ${opens}.` }));
  } else if (survey.state === 'closed') {
    replace(container, el('p', { class: 'notice info', text: 'This survey has closed. Thank you for your interest.' }));
  } else if (!survey.allowAnonymous && !respondentToken) {
    replace(container, el('p', { class: 'notice info', text: 'This survey is answered through the personal link in the email we sent you.' }));
  } else {
    render();
  }
}

/** Embedded: tell the page around the iframe how tall this one is (survey-embed.js sizes the frame). */
function reportHeight() {
  const send = () => window.parent.postMessage({ type: 'crm-survey:height', surveyId,
    height: Math.ceil(document.documentElement.getBoundingClientRect().height) }, '*');
  new ResizeObserver(send).observe(document.documentElement);
  send();
}

if (embedded) {
  // Transparent, so the form sits on the host page's own background.
  document.documentElement.classList.add('embedded');
  reportHeight();
}
load();
