// Attachments: tells the person at once when chosen files are too many or too large, before a
// long upload that the server would refuse anyway. The server checks everything again (type from
// the bytes, sizes, count); without JavaScript the form still works. No inline script (CSP).
(function () {
  'use strict';

  function size(bytes) {
    if (bytes < 1024 * 1024) {
      return Math.ceil(bytes / 1024) + ' KB';
    }
    return (Math.ceil(bytes / 1024 / 1024 * 10) / 10) + ' MB';
  }

  function problem(form, input) {
    var maxFiles = parseInt(form.getAttribute('data-max-files'), 10);
    var maxBytes = parseInt(form.getAttribute('data-max-bytes'), 10);
    var maxTotal = parseInt(form.getAttribute('data-max-total-bytes'), 10);
    var files = input.files || [];
    if (files.length > maxFiles) {
      return 'You chose ' + files.length + ' files; a message can carry at most ' + maxFiles + '.';
    }
    var total = 0;
    for (var i = 0; i < files.length; i++) {
      if (files[i].size === 0) {
        return 'File ' + (i + 1) + ' is empty (0 bytes). Choose another file.';
      }
      if (files[i].size > maxBytes) {
        return 'File ' + (i + 1) + ' is ' + size(files[i].size) + '; the limit is ' + size(maxBytes) + ' per file.';
      }
      total += files[i].size;
    }
    if (total > maxTotal) {
      return 'The files add up to ' + size(total) + '; the limit is ' + size(maxTotal) + ' per message.';
    }
    return '';
  }

  var forms = document.querySelectorAll('form[data-max-files]');
  Array.prototype.forEach.call(forms, function (form) {
    var input = form.querySelector('input[type=file]');
    var error = form.querySelector('[id$="files-error"]');
    if (!input || !error) {
      return;
    }
    function check() {
      var text = problem(form, input);
      input.setCustomValidity(text);
      error.textContent = text;
      error.hidden = text === '';
      return text === '';
    }
    input.addEventListener('change', check);
    form.addEventListener('submit', function (event) {
      if (!check()) {
        event.preventDefault();
        input.focus();
      }
    });
  });
}());
