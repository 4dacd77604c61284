// Soft lock: tells the server every 15 s that this person has the conversation open (and whether
// they are typing a reply), and shows who else has it open. A background request: the heartbeat is
// not the person's activity and keeps no session alive. No inline script (CSP).
(function () {
  'use strict';
  var box = document.getElementById('viewers');
  var csrf = document.querySelector('input[name="_csrf"]');
  if (!box || !csrf) {
    return;
  }
  var text = document.getElementById('text');

  var beating = null;

  function beat() {
    var replying = !!(text && (document.activeElement === text || text.value.trim() !== ''));
    var body = new URLSearchParams();
    body.append('_csrf', csrf.value);
    body.append('replying', replying ? 'true' : 'false');
    fetch('/staff/threads/' + box.getAttribute('data-thread') + '/presence', {
      method: 'POST', credentials: 'same-origin', body: body,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept': 'text/html', 'X-Bluepost-Background': '1' }
    }).then(function (r) {
      if (r.redirected) { // the session has ended (the answer is the sign-in page): no more beats
        clearInterval(beating);
        return null;
      }
      return r.ok ? r.text() : null;
    })
      .then(function (html) { if (html !== null) { box.innerHTML = html; } })
      .catch(function () { /* the next beat tries again */ });
  }

  beat();
  beating = setInterval(beat, 15000);
  if (text) {
    text.addEventListener('focus', beat);
  }
}());
