/* The header's search box: "/" (when not typing in a field) or Ctrl-K / Cmd-K goes to it,
   suggestions as you type, arrows choose, Enter opens, Escape closes. Without script the box is
   a plain form that opens the results page (licensing:search). */
(function () {
  "use strict";

  var form = document.querySelector("[data-site-search]");
  if (!form || !window.RareGateCombobox) return;
  var input = form.querySelector("input[name=q]");
  var url = form.getAttribute("data-suggest-url");
  var OPEN = "site-search--open";

  function openSearch() {
    form.classList.add(OPEN);
    input.focus();
    input.select();
  }

  function closeSearch() {
    form.classList.remove(OPEN);
    input.blur();
  }

  window.RareGateCombobox.combobox(input, {
    listbox: form.querySelector("[role=listbox]"),
    source: function (text) { return window.RareGateCombobox.suggest(url, "", text); },
    choose: function (item) { window.location.assign(item.url); },
    escape: closeSearch,
    showKind: true,
  });
  input.addEventListener("blur", function () { form.classList.remove(OPEN); });

  function typing(target) {
    return Boolean(
      target.closest && target.closest("input, textarea, select, [contenteditable]")
    );
  }

  document.addEventListener("keydown", function (event) {
    var k = event.key === "k" || event.key === "K";
    if (k && (event.metaKey || event.ctrlKey) && !event.altKey) {
      event.preventDefault();
      openSearch();
    } else if (
      event.key === "/" && !event.metaKey && !event.ctrlKey && !event.altKey &&
      !typing(event.target)
    ) {
      event.preventDefault();
      openSearch();
    }
  });
})();
