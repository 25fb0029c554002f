// Reloads the page every few seconds while it shows something unfinished: an element with
// data-refresh="SECONDS" (an import batch still pending or running). A file, not an inline
// script, so that a strict Content-Security-Policy allows it.
(function () {
  "use strict";
  var element = document.querySelector("[data-refresh]");
  if (!element) {
    return;
  }
  var seconds = Number(element.getAttribute("data-refresh")) || 2;
  window.setTimeout(function () {
    window.location.reload();
  }, seconds * 1000);
})();
