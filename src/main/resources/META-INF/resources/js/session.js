// Automatic sign-out, as the person sees it (the server ends the session by itself at the idle limit,
// whatever this script does). A minute before the limit: a warning with "Stay signed in", and a
// half-written reply kept as a draft. At the limit: the sign-in page, which says why. Typing or
// clicking in the page counts as the person being there; the page's own background requests do not
// (they carry X-Bluepost-Background). No framework, no inline script (CSP).
(function () {
  'use strict';
  var dialog = document.getElementById('session-warning');
  if (!dialog || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var WARN_SECONDS = 60;          // how long before the end the warning shows
  var REPORT_EVERY_MS = 60000;    // typing or clicking tells the server at most this often
  var csrf = dialog.querySelector('input[name="_csrf"]');
  var stay = document.getElementById('stay-signed-in');
  var kept = document.getElementById('session-draft-kept');
  var timer = null;
  var warned = false;
  var leaving = false;
  var lastReport = Date.now();      // the request that loaded this page was the person's own

  function schedule(remainingSeconds) {
    clearTimeout(timer);
    var wait = remainingSeconds > WARN_SECONDS ? remainingSeconds - WARN_SECONDS
      : Math.min(Math.max(remainingSeconds, 0) + 1, 10);
    timer = setTimeout(check, wait * 1000);
  }

  function retryLater() {
    clearTimeout(timer);
    timer = setTimeout(check, 10000);
  }

  function handle(status) {
    if (!status || !status.signedIn) {
      leave(!!(status && status.timedOut));
      return;
    }
    if (status.remainingSeconds > WARN_SECONDS + 2) {
      hideWarning();
    } else {
      showWarning();
    }
    schedule(status.remainingSeconds);
  }

  // how long the session has left; asking is a background request, so it extends nothing
  function check() {
    fetch('/session/status', {
      credentials: 'same-origin', cache: 'no-store',
      headers: { 'X-Bluepost-Background': '1', 'Accept': 'application/json' }
    }).then(function (response) {
      if (!response.ok) {
        throw new Error('status ' + response.status);
      }
      return response.json();
    }).then(handle).catch(retryLater);
  }

  // the person is here: "Stay signed in", or typing or clicking in the page
  function report(always) {
    var now = Date.now();
    if (leaving || !csrf || (!always && now - lastReport < REPORT_EVERY_MS)) {
      return;
    }
    lastReport = now;
    var body = new URLSearchParams();
    body.append('_csrf', csrf.value);
    fetch('/session/keep-alive', {
      method: 'POST', credentials: 'same-origin', body: body,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept': 'application/json' }
    }).then(function (response) {
      if (response.redirected) { // the session had ended: the answer is the sign-in page
        return { signedIn: false, timedOut: response.url.indexOf('timedOut=1') >= 0 };
      }
      if (!response.ok) {
        throw new Error('keep-alive ' + response.status);
      }
      return response.json();
    }).then(handle).catch(retryLater);
  }

  // a half-written reply (a form marked data-draft-url) is kept as a draft while the session is still open
  function keepDrafts() {
    Array.prototype.forEach.call(document.querySelectorAll('form[data-draft-url]'), function (form) {
      var text = form.querySelector('textarea[name="text"]');
      if (!text || text.value.trim() === '' || !csrf) {
        return;
      }
      var body = new URLSearchParams();
      body.append('_csrf', csrf.value);
      body.append('text', text.value);
      fetch(form.getAttribute('data-draft-url'), {
        method: 'POST', credentials: 'same-origin', body: body,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Bluepost-Background': '1' }
      }).then(function (response) {
        if (response.ok && !response.redirected && kept) {
          kept.hidden = false;
        }
      }).catch(function () { /* the warning still stands; nothing more can be done */ });
    });
  }

  function showWarning() {
    if (warned) {
      return;
    }
    warned = true;
    keepDrafts();
    if (!dialog.open) {
      if (typeof dialog.showModal === 'function') {
        dialog.showModal();
      } else {
        dialog.setAttribute('open', '');
      }
    }
    if (stay) {
      stay.focus();
    }
  }

  function hideWarning() {
    if (!warned) {
      return;
    }
    warned = false;
    if (dialog.open) {
      if (typeof dialog.close === 'function') {
        dialog.close();
      } else {
        dialog.removeAttribute('open');
      }
    }
  }

  function leave(timedOut) {
    if (leaving) {
      return;
    }
    leaving = true;
    clearTimeout(timer);
    var here = window.location.pathname + window.location.search;
    window.location.assign('/login?next=' + encodeURIComponent(here) + (timedOut ? '&timedOut=1' : ''));
  }

  if (stay) {
    stay.addEventListener('click', function () {
      report(true);
    });
  }
  dialog.addEventListener('cancel', function (event) { // Escape: the person is here
    event.preventDefault();
    report(true);
  });
  ['keydown', 'pointerdown'].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (event.isTrusted) {
        report(false);
      }
    }, true);
  });
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible' && !leaving) {
      check(); // timers of hidden tabs run late
    }
  });
  schedule(parseInt(dialog.getAttribute('data-remaining-seconds'), 10) || 0);
}());
