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

  /* A file over the limit of one file (the input's data-max-bytes) is refused as it is chosen: the
     browser will not send the form, and says why with the field's own hint (formats and limit). The
     server refuses it too, so without JavaScript nothing changes but the wait. */
  function checkSize(input) {
    var limit = Number(input.getAttribute("data-max-bytes"));
    var tooLarge = Array.prototype.filter.call(input.files || [], function (file) { return file.size > limit; });
    var hint = document.getElementById((input.getAttribute("aria-describedby") || "").split(" ")[0]);
    input.setCustomValidity(tooLarge.length ? tooLarge[0].name + " — " + (hint ? hint.textContent.trim() : "") : "");
    if (tooLarge.length) input.reportValidity();
  }

  function watchUploads() {
    document.addEventListener("change", function (event) {
      if (event.target.matches("input[type=file][data-max-bytes]")) checkSize(event.target);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  watchUploads();
})();
