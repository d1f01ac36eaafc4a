/* The error summary of an invalid form (GOV.UK pattern): it takes the focus when the page opens, so a
   screen reader reads it first; following one of its links focuses the field in error and brings its
   label or its group's question into view. Without JavaScript the summary still heads the page and
   its links still lead to the fields. No inline script: this file is all the pages load. */
(function () {
  "use strict";

  function questionOf(input) {
    var fieldset = input.closest("fieldset");
    if (fieldset && input.matches("input[type=radio], input[type=checkbox]")) {
      var legend = fieldset.querySelector("legend");
      if (legend) return legend;
    }
    if (input.id) {
      var label = document.querySelector("label[for='" + CSS.escape(input.id) + "']");
      if (label && label.getClientRects().length) return label;
    }
    return input;
  }

  function start() {
    var summary = document.querySelector(".error-summary");
    if (!summary) return;
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (!target) return;
      event.preventDefault();
      questionOf(target).scrollIntoView();
      target.focus({ preventScroll: true });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
