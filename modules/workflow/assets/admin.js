// The template editor: says at once whether the JSON parses (the server checks the schema on "Validate" and "Save").
document.querySelectorAll('textarea[data-wf-json]').forEach(function (area) {
  var state = document.getElementById('wf-json-state');
  function check() {
    try { JSON.parse(area.value); state.textContent = ''; area.removeAttribute('aria-invalid'); }
    catch (err) { state.textContent = err.message; area.setAttribute('aria-invalid', 'true'); }
  }
  area.addEventListener('input', check);
});
