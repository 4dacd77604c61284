// Soft lock: tells the server every 15 s that this person has the conversation open (and whether
// they are typing a reply), and shows who else has it open. No inline script (CSP).
(function () {
  'use strict';
  var box = document.getElementById('viewers');
  var csrf = document.querySelector('input[name="_csrf"]');
  if (!box || !csrf) {
    return;
  }
  var text = document.getElementById('text');

  function beat() {
    var replying = !!(text && (document.activeElement === text || text.value.trim() !== ''));
    var body = new URLSearchParams();
    body.append('_csrf', csrf.value);
    body.append('replying', replying ? 'true' : 'false');
    fetch('/staff/threads/' + box.getAttribute('data-thread') + '/presence', {
      method: 'POST', credentials: 'same-origin', body: body,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept': 'text/html' }
    }).then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) { box.innerHTML = html; } })
      .catch(function () { /* the next beat tries again */ });
  }

  beat();
  setInterval(beat, 15000);
  if (text) {
    text.addEventListener('focus', beat);
  }
}());
