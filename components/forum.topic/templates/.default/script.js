// Progressive enhancement of the forum's reply and new-topic forms (the forms post without it):
// - "Preview" asks the server to render the BB-code (POST /api/v1/forum/preview, the same renderer and sanitizer
//   as posting) and shows the HTML it returns; BB-code is never rendered here.
// - a message's "Quote" link fetches the message as [quote="Author"]...[/quote] (under the reader's rights) and
//   adds it to the reply form instead of reloading the page with ?quote=<id>.
(function () {
  function post(url, csrf, data) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf, Accept: 'application/json' },
      body: JSON.stringify(data),
    }).then(answer);
  }

  function answer(res) {
    return res.json().then(function (json) {
      if (!res.ok) throw new Error((json && json.error && json.error.message) || String(res.status));
      return json.result;
    });
  }

  document.querySelectorAll('form[data-forum-preview]').forEach(function (form) {
    var button = form.querySelector('.forum-preview-button');
    var box = form.querySelector('.forum-preview');
    var problem = form.querySelector('.forum-preview-error');
    var body = form.querySelector('textarea[name="body"]');
    if (!button || !box || !body) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      var data = { body: body.value };
      if (form.dataset.topic) data.topicId = Number(form.dataset.topic);
      if (form.dataset.forum) data.forumId = Number(form.dataset.forum);
      button.disabled = true;
      post(form.dataset.forumPreview, form.dataset.csrf, data)
        .then(function (result) {
          box.innerHTML = result.html; // sanitized by the server
          box.hidden = false;
          if (problem) problem.hidden = true;
        })
        .catch(function (err) {
          if (!problem) return;
          problem.textContent = (problem.dataset.text || '').replace('#ERROR#', err.message);
          problem.hidden = false;
        })
        .then(function () {
          button.disabled = false;
        });
    });
  });

  var reply = document.querySelector('form.forum-reply textarea[name="body"]');
  if (!reply) return;
  document.querySelectorAll('a.forum-quote-link[data-message]').forEach(function (link) {
    link.addEventListener('click', function (event) {
      event.preventDefault();
      fetch('/api/v1/forum/messages/' + encodeURIComponent(link.dataset.message) + '/quote', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(answer)
        .then(function (result) {
          var before = reply.value && !/\n$/.test(reply.value) ? reply.value + '\n' : reply.value;
          reply.value = before + result.text;
          reply.focus();
          reply.setSelectionRange(reply.value.length, reply.value.length);
          reply.dispatchEvent(new Event('input', { bubbles: true }));
        })
        .catch(function () {
          window.location.href = link.href; // the server-side quote still works
        });
    });
  });
})();
