// Before/after comparison: turns the side-by-side photos into one image split by a native
// range input, so dragging, arrow keys and screen readers all work. Without JavaScript the
// photos stay side by side.
(function () {
  "use strict";
  document.querySelectorAll("[data-compare]").forEach(function (root) {
    var range = root.querySelector(".compare__range");
    if (!range) {
      return;
    }
    function update() {
      root.style.setProperty("--position", range.value + "%");
      range.setAttribute("aria-valuetext", range.value + "% of the before photo shown");
    }
    range.addEventListener("input", update);
    root.querySelector(".compare__control").hidden = false;
    root.classList.add("compare--active");
    update();
  });
})();
