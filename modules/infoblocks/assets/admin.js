/* Infoblocks admin: small enhancements. Every form works without this file (the CSP allows no inline scripts). */
(function () {
  'use strict';

  // Multiple values: an "Add another" button that copies the last blank input.
  var form = document.querySelector('[data-ib-add-label]');
  if (form) {
    var label = form.getAttribute('data-ib-add-label');
    document.querySelectorAll('[data-ib-multi]').forEach(function (box) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'btn btn-ghost btn-sm iba-add';
      button.textContent = '+ ' + label;
      button.addEventListener('click', function () {
        var fields = box.querySelectorAll('input, textarea');
        var last = fields[fields.length - 1];
        var copy = last.cloneNode(false);
        copy.removeAttribute('id');
        copy.value = '';
        var first = fields[0];
        var name = (first.labels && first.labels[0] ? first.labels[0].textContent : '').trim();
        copy.setAttribute('aria-label', name + ' ' + (fields.length + 1));
        box.appendChild(copy);
        copy.focus();
      });
      box.insertAdjacentElement('afterend', button);
    });
  }

  // Element list: a "select all" box in the header of the checkbox column.
  var bulk = document.querySelector('[data-ib-bulk]');
  if (bulk) {
    var th = bulk.querySelector('th.iba-check-col');
    var boxes = bulk.querySelectorAll('input[name="ids"]');
    if (th && boxes.length) {
      var all = document.createElement('input');
      all.type = 'checkbox';
      all.setAttribute('aria-label', bulk.getAttribute('data-ib-select-all') || '');
      all.addEventListener('change', function () {
        boxes.forEach(function (b) { b.checked = all.checked; });
      });
      th.appendChild(all);
    }
  }

  // Property form: the enum values editor only matters for the "list" type.
  var type = document.querySelector('[data-ib-type-select]');
  var enums = document.querySelector('[data-ib-enums]');
  if (type && enums) {
    var sync = function () { enums.hidden = type.value !== 'list'; };
    type.addEventListener('change', sync);
    sync();
  }
})();
