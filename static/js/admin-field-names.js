// Names for two controls that scripts of the article form build without one (WCAG 1.3.1,
// 4.1.2): the rich-text editor (django-prose-editor), and the filter boxes of the tags chooser
// (Django's filter_horizontal). Without JavaScript neither is built: the body is a plain text
// area and the tags a list, both named by their labels.
(function () {
  "use strict";

  // The editor replaces the body's text area with its own text box, which the field's label
  // ("Body:", pointing at the hidden text area) does not name. The package announces each
  // editor it builds; the text box is then named by that label (with its description and
  // whether it is required), and a click on the label moves into the text as it would for the
  // text area.
  document.addEventListener("prose-editor:ready", function (event) {
    var editor = event.detail.editor;
    var textarea = event.detail.textarea;
    var label = textarea.id && document.querySelector('label[for="' + textarea.id + '"]');
    if (!label) {
      return;
    }
    if (!label.id) {
      label.id = textarea.id + "_label";
    }
    var attributes = { "aria-labelledby": label.id };
    if (textarea.hasAttribute("aria-describedby")) {
      attributes["aria-describedby"] = textarea.getAttribute("aria-describedby");
    }
    if (label.classList.contains("required")) {
      attributes["aria-required"] = "true";
    }
    // Tiptap keeps these on its text box (with its own role) whenever it redraws it.
    var props = editor.options.editorProps || {};
    editor.setOptions({ editorProps: Object.assign({}, props, { attributes: attributes }) });
    label.addEventListener("click", function () {
      editor.commands.focus();
    });
  });

  // Each filter box is labelled by a magnifying glass whose words ("Type into this box to
  // filter down the list of available tags.") sit in an aria-label on a plain span, where the
  // attribute is not allowed and may be ignored. As an image, the glass keeps its words and
  // names its box.
  function nameFilterIcons() {
    document.querySelectorAll(".selector-filter label .search-label-icon[aria-label]").forEach(
      function (icon) {
        icon.setAttribute("role", "img");
      }
    );
  }

  // Django builds the chooser when the page has loaded (SelectFilter2.js). Its listener is in
  // place once the document is parsed, so one added then runs after it.
  if (document.readyState === "complete") {
    nameFilterIcons();
  } else if (document.readyState === "interactive") {
    window.addEventListener("load", nameFilterIcons);
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      window.addEventListener("load", nameFilterIcons);
    });
  }
})();
