// The printable activation letter (ADR 0041): the "Print the letter" button prints the page; without
// JavaScript the button stays hidden and the hint names the browser's Print command.
document.querySelectorAll('[data-print]').forEach(button => {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
});
