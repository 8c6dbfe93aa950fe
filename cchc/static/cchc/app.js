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
  // A file the server would refuse is refused here, before anything is sent: the server answers an
  // oversized request without reading it, and the text typed in the same form would be lost.
  var body = document.body;
  var maxFile = parseInt(body.getAttribute("data-max-upload"), 10) || 0;
  var maxRequest = parseInt(body.getAttribute("data-max-request"), 10) || 0;
  function checkFile(input) {
    var files = input.files || [], message = "";
    for (var i = 0; i < files.length; i++) {
      if (maxFile && files[i].size > maxFile) message = body.getAttribute("data-upload-too-big") || "";
    }
    input.setCustomValidity(message);
    return message;
  }
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input && input.type === "file" && checkFile(input)) input.reportValidity();
  });
  // <form data-confirm="question">: the browser asks before the form is sent.
  document.addEventListener("submit", function (event) {
    var form = event.target, inputs = form.querySelectorAll ? form.querySelectorAll("input[type=file]") : [];
    var total = 0;
    for (var i = 0; i < inputs.length; i++) {
      if (checkFile(inputs[i])) { inputs[i].reportValidity(); event.preventDefault(); return; }
      for (var j = 0; j < (inputs[i].files || []).length; j++) total += inputs[i].files[j].size;
    }
    if (maxRequest && total > maxRequest && inputs.length) {
      inputs[0].setCustomValidity(body.getAttribute("data-request-too-big") || "");
      inputs[0].reportValidity();
      inputs[0].setCustomValidity("");
      event.preventDefault();
      return;
    }
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
