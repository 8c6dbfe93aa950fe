/* The unit picker of a contest: typing in the search box narrows the list, with or without accents
   ("dong van" finds "Xã Đồng Văn"); without JavaScript the plain list works as it is. */
(function () {
  "use strict";
  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase()
      .replace(/\s+/g, " ").trim();
  }
  document.querySelectorAll("[data-picker]").forEach(function (box) {
    var input = box.querySelector(".ct-filter");
    var select = box.querySelector("select");
    var none = box.querySelector("#unit-none");
    if (!input || !select) { return; }
    input.hidden = false;
    var label = box.querySelector(".ct-filter-label");
    if (label) { label.hidden = false; }
    var options = Array.prototype.slice.call(select.options);
    input.addEventListener("input", function () {
      var words = fold(input.value).split(" ").filter(Boolean);
      var shown = [];
      options.forEach(function (option) {
        var text = option.getAttribute("data-folded") || fold(option.textContent);
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        option.hidden = !match;
        option.disabled = !match;
        if (match) { shown.push(option); }
      });
      if (shown.length === 1) { shown[0].selected = true; }
      if (none) { none.hidden = shown.length > 0; }
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); select.focus(); }
      if (event.key === "Enter") { event.preventDefault(); }
    });
  });
})();
