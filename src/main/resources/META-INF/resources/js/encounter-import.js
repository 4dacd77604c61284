// Keeps an encounter import's progress bar and counts up to date from its JSON status, then
// reloads the page once the job has finished (to list the lines that were not loaded).
(function () {
  'use strict';
  var panel = document.getElementById('import-job');
  if (!panel || panel.getAttribute('data-finished') === 'true') {
    return;
  }
  var url = panel.getAttribute('data-status');
  var fields = ['state', 'lines', 'loaded', 'created', 'updated', 'unchanged', 'failed'];
  var names = { lines: 'linesRead' };
  function poll() {
    // a background request: polling is not the person's activity, it keeps no session alive
    fetch(url, { headers: { 'Accept': 'application/json', 'X-Bluepost-Background': '1' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (job) {
        if (!job) {
          setTimeout(poll, 3000);
          return;
        }
        var bar = document.getElementById('import-progress');
        bar.value = job.percent;
        bar.textContent = job.percent + ' %';
        fields.forEach(function (f) {
          var el = document.getElementById('import-' + f);
          if (el) {
            // the state in the page's words (data-state-completed="Finished"), never its code
            el.textContent = f === 'state' ? (panel.getAttribute('data-state-' + String(job.state).toLowerCase()) || el.textContent)
              : job[names[f] || f];
          }
        });
        if (job.finished) {
          window.location.reload();
        } else {
          setTimeout(poll, 1000);
        }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
}());
