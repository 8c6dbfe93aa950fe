// Behaviour shared by every page. Loaded from a file (not inline) so that the
// Content-Security-Policy needs no 'unsafe-inline'.
(function () {
  // The menu button on narrow screens.
  var toggle = document.querySelector(".menu-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var open = toggle.parentNode.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // <form data-confirm="question">: the browser asks before the form is sent.
  document.addEventListener("submit", function (event) {
    var form = event.target, question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
