// The article summary's length against its 70 to 160 character guidance, under the field in
// the admin, as the editor types. The visible count changes on every key; screen readers hear
// it once the typing pauses, so they are not talked over. Without JavaScript the field's help
// text states the rule and the server checks it on save.
(function () {
  "use strict";

  var ANNOUNCE_AFTER_MS = 1000;

  function message(count, shortest, longest) {
    var text = count + " of " + shortest + "\u2013" + longest + " characters";
    if (count < shortest) {
      return text + ": " + (shortest - count) + " more needed";
    }
    if (count > longest) {
      return text + ": " + (count - longest) + " too many";
    }
    if (count === longest) {
      return text + ": the most allowed";
    }
    return text;
  }

  function enhance(input) {
    var shortest = parseInt(input.getAttribute("data-length-min"), 10);
    var longest = parseInt(input.getAttribute("data-length-max"), 10);
    var help = document.getElementById(input.id + "_helptext");

    var shown = document.createElement("div");
    shown.className = "help length-count";
    shown.id = input.id + "_length";
    shown.setAttribute("aria-hidden", "true");
    var spoken = document.createElement("div");
    spoken.className = "visually-hidden";
    spoken.setAttribute("role", "status");
    spoken.setAttribute("aria-live", "polite");
    var after = help || input;
    after.parentNode.insertBefore(spoken, after.nextSibling);
    after.parentNode.insertBefore(shown, after.nextSibling);

    var timer = null;
    function update() {
      // Counted as the server counts: characters, not UTF-16 units, without the white space
      // around the text that is dropped on save.
      var count = Array.from(input.value.trim()).length;
      var text = message(count, shortest, longest);
      shown.textContent = text;
      shown.classList.toggle("is-outside", count < shortest || count > longest);
      return text;
    }
    update();
    input.addEventListener("input", function () {
      var text = update();
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        if (spoken.textContent !== text) {
          spoken.textContent = text;
        }
      }, ANNOUNCE_AFTER_MS);
    });
  }

  function start() {
    document.querySelectorAll("input[data-length-min][data-length-max]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
