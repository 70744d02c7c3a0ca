/*
 * Keeps the top menu on one line (partials/topnav.eta). The server guesses which items fit and
 * puts the rest under "More" (a details/summary drop-down that works without this script); this
 * measures instead: it puts every item back, then moves items from the end into "More" until the
 * line fits, again on every resize. Where the menu is a column (the phone's "Menu" toggle)
 * everything stays in line. Escape or a click elsewhere closes "More".
 */
(function () {
  'use strict';
  var list = document.querySelector('.topnav-list');
  var more = list && list.querySelector(':scope > .topnav-more');
  if (!more || !window.getComputedStyle) return;
  var details = more.querySelector('details');
  var moreList = more.querySelector('.submenu > ul');
  var summary = details.querySelector('summary');

  function inlineItems() {
    return Array.prototype.filter.call(list.children, function (li) { return li !== more; });
  }

  /** One line, and nothing sticks out past the end of the list. */
  function fits() {
    var items = Array.prototype.filter.call(list.children, function (li) { return !li.hidden; });
    if (!items.length) return true;
    var top = items[0].offsetTop;
    var right = list.getBoundingClientRect().right + 0.5;
    return items.every(function (li) { return li.offsetTop === top && li.getBoundingClientRect().right <= right; });
  }

  var laidOutWidth = -1;

  function layout() {
    laidOutWidth = window.innerWidth;
    // Moving a focused link out and back would drop the keyboard focus: give it back afterwards.
    var focused = list.contains(document.activeElement) ? document.activeElement : null;
    var wasOpen = details.open;
    while (moreList.firstElementChild) list.insertBefore(moreList.firstElementChild, more);
    more.hidden = true;
    if (getComputedStyle(list).flexDirection === 'column' || list.offsetParent === null || fits()) return restore(focused);
    more.hidden = false;
    var items = inlineItems();
    while (items.length && !fits()) moreList.insertBefore(items.pop(), moreList.firstElementChild);
    // A relayout (fonts arriving late) keeps an open "More" open.
    details.open = wasOpen;
    restore(focused);
  }

  function restore(focused) {
    sync();
    if (focused && focused !== document.activeElement && list.contains(focused)) focused.focus();
  }

  /** "More" looks current when the current page is inside it. */
  function sync() {
    more.classList.toggle('is-active', !!moreList.querySelector('.is-active, [aria-current="page"]'));
    if (more.hidden) details.open = false;
  }

  var queued = false;
  function schedule() {
    if (queued) return;
    queued = true;
    window.requestAnimationFrame(function () {
      queued = false;
      layout();
    });
  }

  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && details.open) {
      details.open = false;
      summary.focus();
    }
  });
  document.addEventListener('click', function (e) {
    if (details.open && !details.contains(e.target)) details.open = false;
  });
  // A resize that keeps the width (a phone's toolbar hiding, a taller window) changes nothing.
  window.addEventListener('resize', function () { if (window.innerWidth !== laidOutWidth) schedule(); });
  window.addEventListener('load', schedule);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(schedule);
  // The phone's "Menu" toggle shows the list: lay it out once it is visible.
  var toggle = document.getElementById('nav-toggle');
  if (toggle) toggle.addEventListener('change', schedule);
  layout();
})();
