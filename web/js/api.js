// The pages' one way to the API: JSON in, JSON or problem+json out (docs/api.md, "Bodies and errors").
import { API_BASE_URL } from '../config.js';

/** The API's base URL: the configured one, or this page's own origin. */
export function apiBase() {
  return (API_BASE_URL || window.location.origin).replace(/\/+$/, '');
}

export function apiUrl(path) {
  return apiBase() + path;
}

/** The request never reached the API, or its answer never came back: the outcome is unknown. */
export class NetworkError extends Error {}

/**
 * An answer from the API: status, headers, and the parsed body (JSON or problem+json; null when
 * empty). `problem` is set for problem+json answers: {type, title, status, detail, errors?}.
 */
export class ApiAnswer {
  constructor(response, body) {
    this.status = response.status;
    this.ok = response.ok;
    this.headers = response.headers;
    this.body = body;
    const type = response.headers.get('Content-Type') || '';
    this.problem = type.startsWith('application/problem+json') && body && typeof body === 'object' ? body : null;
  }

  /** The problem type's last segment ("validation-error"), or null. */
  get problemType() {
    if (!this.problem || typeof this.problem.type !== 'string') return null;
    return this.problem.type.slice(this.problem.type.lastIndexOf('/') + 1);
  }

  /** Seconds to wait before a retry, from Retry-After (null when absent or not a number). */
  get retryAfter() {
    const value = Number.parseInt(this.headers.get('Retry-After') || '', 10);
    return Number.isFinite(value) ? value : null;
  }

  /** The problem's errors[] (each with pointer, parameter or header, and detail); [] when none. */
  get errors() {
    return this.problem && Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }
}

/**
 * Calls the API. Options: method, key (sent as a Bearer token), json (a body to send as JSON),
 * headers. Resolves with an ApiAnswer whatever the status; rejects with NetworkError only when no
 * answer arrived.
 */
export async function call(path, { method = 'GET', key, json, headers = {} } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (key) h.Authorization = 'Bearer ' + key;
  const init = { method, headers: h, credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer' };
  if (json !== undefined) {
    h['Content-Type'] = 'application/json';
    init.body = typeof json === 'string' ? json : JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch(apiUrl(path), init);
  } catch (e) {
    throw new NetworkError(e && e.message ? e.message : 'network error');
  }
  let body = null;
  try {
    const text = await response.text();
    body = text ? JSON.parse(text) : null;
  } catch (e) {
    if (e instanceof SyntaxError) body = null;
    else throw new NetworkError('the answer was cut off');
  }
  return new ApiAnswer(response, body);
}

/** A one-line explanation of a problem answer for people (the API's detail when it has one). */
export function describeProblem(answer) {
  if (answer.problem && answer.problem.detail) return answer.problem.detail;
  if (answer.problem && answer.problem.title) return answer.problem.title;
  return 'The server answered with status ' + answer.status + '.';
}
