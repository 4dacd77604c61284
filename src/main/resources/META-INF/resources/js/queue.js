// Live queue: the server pushes a "queue" event (server-sent events) whenever an item of the
// practice changes; the page then fetches the rows again. Both are background requests: they keep no
// session alive (the server ends the event stream with the session). No framework, no inline script (CSP).
(function () {
  'use strict';
  var rows = document.getElementById('queue-rows');
  var status = document.getElementById('live-status');
  if (!rows || !window.EventSource) {
    return;
  }
  var pending = null;

  function refresh() {
    pending = null;
    var table = document.getElementById('queue');
    var query = table ? (table.getAttribute('data-rows-query') || '') : '';
    var checked = {};
    Array.prototype.forEach.call(rows.querySelectorAll('input[name="item"]:checked'), function (box) {
      checked[box.value] = true;
    });
    fetch('/staff/queue/rows' + query, {
      credentials: 'same-origin', headers: { 'Accept': 'text/html', 'X-Bluepost-Background': '1' }
    })
      .then(function (response) {
        if (response.redirected || !response.ok) {
          throw new Error('refresh failed');
        }
        return response.text();
      })
      .then(function (html) {
        rows.innerHTML = html;
        // keep what the person had selected for a batch reply
        Array.prototype.forEach.call(rows.querySelectorAll('input[name="item"]'), function (box) {
          box.checked = !!checked[box.value];
        });
        status.textContent = 'Queue updated at ' + new Date().toLocaleTimeString();
      })
      .catch(function () {
        status.textContent = 'Live updates paused; reload the page.';
      });
  }

  var source = new EventSource('/staff/queue/events');
  source.addEventListener('queue', function (event) {
    var change = '';
    try {
      change = JSON.parse(event.data).change || '';
    } catch (ignored) {
      change = '';
    }
    var notice = document.getElementById('sla-notice');
    if (notice && change === 'sla-warning') {
      notice.textContent = 'SLA warning: a message is due for an answer soon (tagged sla-warning).';
    } else if (notice && change === 'sla-breached') {
      notice.textContent = 'SLA breached: an overdue message was escalated to the on-call pool (tagged sla-breached).';
    }
    if (!pending) {
      pending = setTimeout(refresh, 250);
    }
  });
  source.addEventListener('open', function () {
    status.textContent = 'Live: new messages appear without reloading.';
  });
  source.addEventListener('error', function () {
    status.textContent = 'Reconnecting…';
  });
}());
