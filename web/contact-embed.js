/*
 * Embeds the contact form on a tenant's own site:
 *
 *   <script src="https://crm.example.com/contact-embed.js" data-tenant="acme-outdoor"
 *           data-categories="billing:Billing,returns:Returns" async></script>
 *
 * data-tenant is the tenant's slug. Optional attributes: data-categories (the tenant's case categories
 * as key:Name pairs, comma-separated; one category is used without asking, none sends "general"),
 * data-title (the frame's accessible name and the form's heading, default "Contact us"), data-target
 * (the id of an element to put the frame in; default: right after this script). The form runs in an
 * iframe served by the CRM, so the host page's scripts cannot read what people type, and it talks to
 * its own API without CORS. The frame tells this script its height, so it needs no scroll bar.
 *
 * A classic script (no modules, nothing global): host pages load it as they load any widget.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !script.src) {
    return;
  }
  var tenant = script.getAttribute('data-tenant') || '';
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(tenant) || tenant.length < 3 || tenant.length > 63) {
    if (window.console) window.console.error('contact-embed.js: data-tenant must be the tenant\'s slug');
    return;
  }
  // The pages live next to this script, wherever the CRM's static files are served from.
  var page = new URL('contact.html', script.src);
  page.searchParams.set('tenant', tenant);
  page.searchParams.set('embed', '1');
  var categories = script.getAttribute('data-categories');
  if (categories) {
    page.searchParams.set('categories', categories);
  }
  var title = script.getAttribute('data-title') || 'Contact us';
  page.searchParams.set('title', title);

  var frame = document.createElement('iframe');
  frame.src = page.toString();
  frame.title = title;
  frame.setAttribute('loading', 'lazy');
  frame.setAttribute('referrerpolicy', 'no-referrer');
  frame.style.display = 'block';
  frame.style.width = '100%';
  frame.style.maxWidth = '44rem';
  frame.style.minHeight = '24rem';
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
    if (!data || data.type !== 'crm-contact:height' || typeof data.height !== 'number' || !isFinite(data.height)) {
      return;
    }
    frame.style.height = Math.max(100, Math.min(Math.round(data.height), 20000)) + 'px';
  });
})();
