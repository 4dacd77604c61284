// File choosers in the page's language (templates/tags/filePicker.html): shows the page's own button and the
// chosen files' names over the browser's control, whose words are in the browser's language. The input stays
// on top (invisible), so clicks, the keyboard, the label and screen readers still reach it. No inline script (CSP).
(function () {
  'use strict';
  var pickers = document.querySelectorAll('.bp-file-picker');
  Array.prototype.forEach.call(pickers, function (picker) {
    var input = picker.querySelector('input[type=file]');
    var button = picker.querySelector('.bp-file-picker__button');
    var chosen = picker.querySelector('.bp-file-picker__chosen');
    if (!input || !button || !chosen) {
      return;
    }
    function show() {
      var files = input.files || [];
      if (files.length === 0) {
        chosen.textContent = chosen.getAttribute('data-none');
      } else if (files.length === 1) {
        chosen.textContent = files[0].name;
      } else {
        chosen.textContent = chosen.getAttribute('data-many').split('%n').join(String(files.length));
      }
    }
    picker.classList.add('bp-file-picker--enhanced');
    button.hidden = false;
    chosen.hidden = false;
    input.addEventListener('change', show);
    show();
  });
}());
