/*
 * Instant search for the employee directory (/company/). Optional: without JavaScript the
 * search form is a plain GET form. With it, typing or picking a department refreshes the
 * results in place (the server renders them; this only swaps the HTML) and keeps the URL.
 */
(function () {
  'use strict';
  var form = document.querySelector('form.directory-search');
  var results = document.getElementById('directory-results');
  if (!form || !results || !window.fetch || !window.DOMParser || !window.URLSearchParams) return;
  var timer = null;
  var pending = null;

  function refresh() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) { if (value !== '') params.append(key, String(value)); });
    var query = params.toString();
    var url = form.getAttribute('action') + (query ? '?' + query : '');
    if (pending) pending.abort();
    pending = window.AbortController ? new AbortController() : null;
    results.setAttribute('aria-busy', 'true');
    fetch(url, { headers: { Accept: 'text/html' }, credentials: 'same-origin', signal: pending ? pending.signal : undefined })
      .then(function (res) { return res.ok ? res.text() : Promise.reject(new Error(String(res.status))); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.getElementById('directory-results');
        var lead = doc.querySelector('.page-header .lead');
        if (!fresh) return form.submit();
        results.innerHTML = fresh.innerHTML;
        var currentLead = document.querySelector('.page-header .lead');
        if (lead && currentLead) currentLead.textContent = lead.textContent;
        window.history.replaceState(null, '', url);
      })
      .catch(function (err) { if (!err || err.name !== 'AbortError') form.submit(); })
      .then(function () { results.removeAttribute('aria-busy'); });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  }

  var q = form.querySelector('input[name="q"]');
  var department = form.querySelector('select[name="department"]');
  if (q) q.addEventListener('input', later);
  if (department) department.addEventListener('change', refresh);
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    clearTimeout(timer);
    refresh();
  });
})();
