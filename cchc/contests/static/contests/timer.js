/* The time left of an attempt, counted down from what the server said; at zero the answers are sent.
   The server keeps its own clock: answers after the limit (and a short grace) are not counted. */
(function () {
  "use strict";
  var box = document.querySelector(".ct-timer");
  var form = document.getElementById("attempt-form");
  if (!box || !form) { return; }
  var end = Date.now() + parseInt(box.getAttribute("data-seconds-left") || "0", 10) * 1000;
  var out = document.getElementById("time-left");
  var sent = false;
  form.addEventListener("submit", function () { sent = true; });
  function tick() {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    out.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    if (left <= 60) { box.classList.add("ct-low"); }
    if (left === 0) {
      if (!sent) { sent = true; form.submit(); }
      return;
    }
    window.setTimeout(tick, 500);
  }
  tick();
})();
