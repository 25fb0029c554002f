// The charts page's partner menu follows its series menu: when another series is chosen, the
// partners of that series are loaded from the page itself (?format=partners, JSON) and replace
// the options, keeping those still chosen. A file, not an inline script (the CSP is strict).
(function () {
  "use strict";

  var series = document.querySelector("[data-series-menu]");
  var menu = document.querySelector("[data-partner-menu]");
  if (!series || !menu) {
    return;
  }

  function replace(partners) {
    var chosen = {};
    Array.prototype.forEach.call(menu.selectedOptions, function (option) {
      chosen[option.value] = true;
    });
    menu.textContent = "";
    partners.forEach(function (pair) {
      var option = document.createElement("option");
      option.value = pair[0];
      option.textContent = pair[1];
      option.selected = Boolean(chosen[pair[0]]);
      menu.appendChild(option);
    });
    menu.setAttribute("data-series", series.value);
  }

  series.addEventListener("change", function () {
    var url = new URL(window.location.pathname, window.location.origin);
    url.searchParams.set("format", "partners");
    url.searchParams.set("series", series.value);
    menu.setAttribute("aria-busy", "true");
    fetch(url.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (answer) {
        if (answer && answer.series === series.value) {
          replace(answer.partners);
        }
      })
      .catch(function () {
        // Left as it is: the server checks the partner against the series when drawing.
      })
      .finally(function () {
        menu.removeAttribute("aria-busy");
      });
  });
})();
