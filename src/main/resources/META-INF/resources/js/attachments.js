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

  // the sentences come from the page, in its language: %n, %max and %size are filled in here
  function say(error, name, values) {
    var text = error.getAttribute('data-' + name) || '';
    Object.keys(values).forEach(function (key) {
      text = text.split('%' + key).join(values[key]);
    });
    return text;
  }

  function problem(form, input, error) {
    var maxFiles = parseInt(form.getAttribute('data-max-files'), 10);
    var maxBytes = parseInt(form.getAttribute('data-max-bytes'), 10);
    var maxTotal = parseInt(form.getAttribute('data-max-total-bytes'), 10);
    var files = input.files || [];
    if (files.length > maxFiles) {
      return say(error, 'too-many', { n: files.length, max: maxFiles });
    }
    var total = 0;
    for (var i = 0; i < files.length; i++) {
      if (files[i].size === 0) {
        return say(error, 'empty', { n: i + 1 });
      }
      if (files[i].size > maxBytes) {
        return say(error, 'too-large', { n: i + 1, size: size(files[i].size), max: size(maxBytes) });
      }
      total += files[i].size;
    }
    if (total > maxTotal) {
      return say(error, 'total', { size: size(total), max: size(maxTotal) });
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
      var text = problem(form, input, error);
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
