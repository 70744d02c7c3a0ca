// Progressive enhancement: shows the post date in the reader's own date format.
document.querySelectorAll('.board-topic time[datetime]').forEach(function (el) {
  var d = new Date(el.getAttribute('datetime') + 'T00:00:00Z');
  if (!isNaN(d.getTime())) el.textContent = d.toLocaleDateString(undefined, { timeZone: 'UTC' });
});
