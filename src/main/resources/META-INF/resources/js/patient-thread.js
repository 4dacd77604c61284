// A patient's conversation: the server pushes a "message" event (server-sent events, the new
// message's id only) when a message arrives in this thread; the page then fetches that message's
// HTML with its own session and adds it to the conversation, and says so in a status line. Both
// are background requests: they keep no session alive (the server ends the stream with the session).
// No framework, no inline script (CSP).
(function () {
  'use strict';
  var list = document.getElementById('messages');
  var status = document.getElementById('live-status');
  if (!list || !status || !window.EventSource || !window.fetch) {
    return;
  }
  var messageUrl = list.getAttribute('data-message-url');

  function add(messageId) {
    if (!/^[0-9a-f-]{36}$/.test(messageId) || document.getElementById('m-' + messageId)) {
      return; // already on the page (the person's own message, or a repeated event)
    }
    fetch(messageUrl + messageId, {
      credentials: 'same-origin', headers: { 'Accept': 'text/html', 'X-Bluepost-Background': '1' }
    })
      .then(function (response) {
        if (response.redirected || !response.ok) {
          throw new Error('message not loaded');
        }
        return response.text();
      })
      .then(function (html) {
        if (document.getElementById('m-' + messageId)) {
          return;
        }
        var holder = document.createElement('ol');
        holder.innerHTML = html;
        var item = holder.querySelector('li');
        if (!item) {
          return;
        }
        item.classList.add('bp-message--new');
        list.appendChild(item);
        status.textContent = status.getAttribute('data-new-message');
      })
      .catch(function () {
        // the next page load shows it
      });
  }

  var source = new EventSource(list.getAttribute('data-events'));
  source.addEventListener('message', function (event) {
    var id = '';
    try {
      id = JSON.parse(event.data).messageId || '';
    } catch (ignored) {
      id = '';
    }
    add(id);
  });
}());
