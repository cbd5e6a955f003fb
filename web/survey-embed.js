/*
 * Embeds a survey on a tenant's own site:
 *
 *   <script src="https://crm.example.com/survey-embed.js" data-survey="srv_…" async></script>
 *
 * Optional attributes: data-title (the frame's accessible name, default "Survey"), data-target (the id
 * of an element to put the frame in; default: right after this script), data-respondent-token (a
 * personal link's token). The survey runs in an iframe served by the CRM, so the host page's scripts
 * and styles cannot touch the answers and the form talks to its own API without CORS. The frame tells
 * this script its height, so it needs no scroll bar of its own.
 *
 * A classic script (no modules, nothing global): host pages load it as they load any widget.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !script.src) {
    return;
  }
  var surveyId = script.getAttribute('data-survey') || '';
  if (!/^srv_[0-9a-z]{20}$/.test(surveyId)) {
    if (window.console) window.console.error('survey-embed.js: data-survey must be a survey id (srv_…)');
    return;
  }
  // The pages live next to this script, wherever the CRM's static files are served from.
  var page = new URL('survey.html', script.src);
  page.searchParams.set('id', surveyId);
  page.searchParams.set('embed', '1');
  var token = script.getAttribute('data-respondent-token');
  if (token) {
    page.searchParams.set('respondentToken', token);
  }

  var frame = document.createElement('iframe');
  frame.src = page.toString();
  frame.title = script.getAttribute('data-title') || 'Survey';
  frame.setAttribute('loading', 'lazy');
  frame.setAttribute('referrerpolicy', 'no-referrer');
  frame.style.display = 'block';
  frame.style.width = '100%';
  frame.style.maxWidth = '44rem';
  frame.style.minHeight = '20rem';
  frame.style.border = '0';

  var targetId = script.getAttribute('data-target');
  var target = targetId ? document.getElementById(targetId) : null;
  if (target) {
    target.appendChild(frame);
  } else {
    script.parentNode.insertBefore(frame, script.nextSibling);
  }

  window.addEventListener('message', function (event) {
    // Only this frame, from the CRM's origin, may size it.
    if (event.source !== frame.contentWindow || event.origin !== page.origin) {
      return;
    }
    var data = event.data;
    if (!data || data.type !== 'crm-survey:height' || typeof data.height !== 'number' || !isFinite(data.height)) {
      return;
    }
    frame.style.height = Math.max(100, Math.min(Math.round(data.height), 20000)) + 'px';
  });
})();
