// A "go back" link that returns to the previous page as the browser's Back button does, with
// the answers typed there kept. A plain link to the form would open it empty, so without
// JavaScript (or with no page to go back to) the link stays hidden and the page's words say to
// use the Back button.
(function () {
  "use strict";
  var link = document.querySelector("[data-history-back]");
  if (!link || window.history.length < 2) {
    return;
  }
  link.closest("[hidden]").hidden = false;
  link.addEventListener("click", function (event) {
    event.preventDefault();
    window.history.back();
  });
})();
