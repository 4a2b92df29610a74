// Before/after comparison: turns the side-by-side photos into one image split by a native
// range input, so arrow keys and screen readers work as with any slider. The divider can also
// be dragged on the photo itself (finger, pen or mouse), which moves the same range input.
// Without JavaScript the photos stay side by side.
(function () {
  "use strict";
  // How far a finger moves before we decide whether it is dragging the divider (sideways) or
  // scrolling the page (up or down); the browser scrolls the page itself (touch-action: pan-y).
  var SLOP = 6;

  document.querySelectorAll("[data-compare]").forEach(function (root) {
    var range = root.querySelector(".compare__range");
    var photo = root.querySelector(".compare__item--before");
    if (!range || !photo) {
      return;
    }
    var shown = range.getAttribute("data-shown") || "of the before photo shown";
    var drag = null;
    var moving = false;

    function update() {
      // The glide is for a tap on the photo only; keys and the slider's own thumb move at once.
      if (!moving) {
        root.classList.remove("compare--glide");
      }
      root.style.setProperty("--position", range.value + "%");
      range.setAttribute("aria-valuetext", range.value + "% " + shown);
    }

    // Moves the range input to the point under the pointer, as if its thumb had been dragged,
    // so everything listening to the slider (and assistive technology) sees the same change.
    function moveTo(clientX, glide) {
      var box = photo.getBoundingClientRect();
      var fraction = Math.min(1, Math.max(0, (clientX - box.left) / box.width));
      var value = String(Math.round(fraction * 100));
      if (value === range.value) {
        return;
      }
      root.classList.toggle("compare--glide", glide);
      moving = true;
      range.value = value;
      range.dispatchEvent(new Event("input", { bubbles: true }));
      moving = false;
    }

    function finish() {
      if (!drag) {
        return;
      }
      if (range.value !== drag.startValue) {
        range.dispatchEvent(new Event("change", { bubbles: true }));
      }
      drag = null;
      root.classList.remove("compare--dragging");
    }

    root.addEventListener("pointerdown", function (event) {
      // The slider below the photo handles its own pointer; only the photo is ours.
      if (drag || !event.isPrimary || event.button !== 0 || event.target.closest(".compare__control")) {
        return;
      }
      drag = {
        id: event.pointerId,
        x: event.clientX,
        y: event.clientY,
        startValue: range.value,
        // A mouse cannot mean to scroll by dragging: it moves the divider at once.
        dragging: event.pointerType === "mouse",
      };
      root.setPointerCapture(event.pointerId);
      if (drag.dragging) {
        root.classList.add("compare--dragging");
        moveTo(event.clientX, true);
      }
    });

    root.addEventListener("pointermove", function (event) {
      if (!drag || event.pointerId !== drag.id) {
        return;
      }
      if (!drag.dragging) {
        var dx = Math.abs(event.clientX - drag.x);
        var dy = Math.abs(event.clientY - drag.y);
        if (dx < SLOP && dy < SLOP) {
          return;
        }
        if (dy >= dx) {
          // Up or down: the page's scroll, never prevented. The browser usually takes the
          // gesture over first (pointercancel); either way the divider stays where it was.
          finish();
          return;
        }
        drag.dragging = true;
        root.classList.add("compare--dragging");
      }
      moveTo(event.clientX, false);
    });

    root.addEventListener("pointerup", function (event) {
      if (!drag || event.pointerId !== drag.id) {
        return;
      }
      if (!drag.dragging) {
        // A tap on the photo: the divider glides to where it landed.
        moveTo(event.clientX, true);
      }
      finish();
    });

    root.addEventListener("pointercancel", finish);
    root.addEventListener("lostpointercapture", finish);
    // Dragging a photo would otherwise pick the image up (mouse) instead of moving the divider.
    root.addEventListener("dragstart", function (event) {
      event.preventDefault();
    });

    range.addEventListener("input", update);
    root.querySelector(".compare__control").hidden = false;
    root.classList.add("compare--active");
    update();
  });
})();
