// Conditional questions: a question with data-show-if is shown only while the question it depends on
// has the given answer; a hidden one's answers are cleared (the server ignores them anyway).
(function () {
  "use strict";
  function chosen(name) {
    return Array.prototype.map.call(document.querySelectorAll('input[name="' + name + '"]:checked'), function (i) { return i.value; });
  }
  function update() {
    document.querySelectorAll("[data-show-if]").forEach(function (box) {
      var parent = document.getElementById("sv-" + box.dataset.showIf);
      var parentShown = !parent || !parent.hidden;
      var show = parentShown && chosen(box.dataset.showIf).indexOf(box.dataset.showValue) !== -1;
      box.hidden = !show;
      if (!show) {
        box.querySelectorAll("input:checked").forEach(function (i) { i.checked = false; });
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector(".sv-form");
    if (!form) { return; }
    form.addEventListener("change", update);
    update();
    update();
  });
})();
