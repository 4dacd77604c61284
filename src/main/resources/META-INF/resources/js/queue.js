// Live queue: the server pushes a "queue" event (server-sent events) whenever an item of the
// practice changes; the page then fetches the rows and the pool tabs' counts again. Both are
// background requests: they keep no session alive (the server ends the event stream with the
// session). The words come from the page (data-* attributes), in its language. No inline script (CSP).
(function () {
  'use strict';
  var rows = document.getElementById('queue-rows');
  var status = document.getElementById('live-status');
  if (!rows || !status || !window.EventSource) {
    return;
  }
  var pending = null;
  var words = function (name) {
    return status.getAttribute('data-' + name) || '';
  };

  function get(path) {
    return fetch(path, {
      credentials: 'same-origin', headers: { 'Accept': 'text/html', 'X-Bluepost-Background': '1' }
    }).then(function (response) {
      if (response.redirected || !response.ok) {
        throw new Error('refresh failed');
      }
      return response.text();
    });
  }

  function refresh() {
    pending = null;
    var table = document.getElementById('queue');
    var query = table ? (table.getAttribute('data-rows-query') || '') : '';
    var checked = {};
    Array.prototype.forEach.call(rows.querySelectorAll('input[name="item"]:checked'), function (box) {
      checked[box.value] = true;
    });
    get('/staff/queue/rows' + query)
      .then(function (html) {
        rows.innerHTML = html;
        // keep what the person had selected for a batch reply
        Array.prototype.forEach.call(rows.querySelectorAll('input[name="item"]'), function (box) {
          box.checked = !!checked[box.value];
        });
        status.textContent = words('updated') + ' ' + new Date().toLocaleTimeString(document.documentElement.lang || undefined);
        var tabs = document.getElementById('pool-tabs');
        return tabs ? get('/staff/queue/pools' + query).then(function (html) { tabs.innerHTML = html; }) : null;
      })
      .catch(function () {
        status.textContent = words('paused');
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
    var alert = document.getElementById('sla-alert');
    if (notice && alert && (change === 'sla-warning' || change === 'sla-breached')) {
      notice.textContent = words(change);
      alert.hidden = false;
    }
    if (!pending) {
      pending = setTimeout(refresh, 250);
    }
  });
  source.addEventListener('open', function () {
    status.textContent = words('live');
  });
  source.addEventListener('error', function () {
    status.textContent = words('reconnecting');
  });
}());
