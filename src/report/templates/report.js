(function () {
  'use strict';
  var root = document.getElementById('checks');
  var form = document.getElementById('filters');
  if (!root || !form) return;
  function apply() {
    var statuses = {};
    form.querySelectorAll('input[name=status]').forEach(function (box) { statuses[box.value] = box.checked; });
    var severity = form.querySelector('select[name=severity]').value;
    var scenario = form.querySelector('select[name=scenario]').value;
    var owaspSelect = form.querySelector('select[name=owasp]');
    var owasp = owaspSelect ? owaspSelect.value : '';
    var order = ['info', 'low', 'medium', 'high', 'critical'];
    var shown = 0;
    root.querySelectorAll('details.check').forEach(function (el) {
      var visible = statuses[el.dataset.status] &&
        (severity === '' || order.indexOf(el.dataset.severity) >= order.indexOf(severity)) &&
        (scenario === '' || el.dataset.scenario === scenario) &&
        (owasp === '' || el.dataset.owasp === owasp);
      el.classList.toggle('hidden', !visible);
      if (visible) shown++;
    });
    root.querySelectorAll('section.scenario').forEach(function (section) {
      section.classList.toggle('hidden', section.querySelectorAll('details.check:not(.hidden)').length === 0);
    });
    // A fold of passed checks hides nothing a narrowing filter asked for: choosing a category, scenario or severity
    // shows the passed checks that match too.
    var narrowed = severity !== '' || scenario !== '' || owasp !== '';
    root.querySelectorAll('details.passed-checks').forEach(function (fold) {
      var matching = fold.querySelectorAll('details.check:not(.hidden)').length;
      fold.classList.toggle('hidden', matching === 0);
      if (narrowed && matching > 0) fold.open = true;
    });
    document.getElementById('shown-count').textContent = String(shown);
  }
  form.addEventListener('change', apply);
  apply();
  // A link to a check (a finding in the OWASP table, or report.html#check-<id>) shows it: the filters are reset if
  // they hide it, and it opens; the link's own navigation then scrolls to it.
  function reveal(id) {
    var el = id ? document.getElementById(id) : null;
    if (!el || !el.classList.contains('check')) return undefined;
    if (el.classList.contains('hidden')) {
      form.reset();
      apply();
    }
    // Open every fold around it (passed checks), then the check itself.
    for (var fold = el.parentElement; fold; fold = fold.parentElement) if (fold.tagName === 'DETAILS') fold.open = true;
    el.open = true;
    return el;
  }
  document.addEventListener('click', function (event) {
    var link = event.target.closest ? event.target.closest('a[href^="#check-"]') : null;
    if (link) reveal(link.getAttribute('href').slice(1));
  });
  var opened = location.hash ? reveal(location.hash.slice(1)) : undefined;
  if (opened) opened.scrollIntoView();
  // CSS cannot open a closed <details>: open them all for printing, and close again the ones the reader had closed.
  var closedForPrint = [];
  window.addEventListener('beforeprint', function () {
    closedForPrint = Array.prototype.filter.call(root.querySelectorAll('details'), function (el) { return !el.open; });
    closedForPrint.forEach(function (el) { el.open = true; });
  });
  window.addEventListener('afterprint', function () {
    closedForPrint.forEach(function (el) { el.open = false; });
    closedForPrint = [];
  });
})();
