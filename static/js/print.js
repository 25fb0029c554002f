// The monthly brief's "Print" button: shown only when JavaScript runs (it is hidden in the
// markup), it opens the browser's print dialog; the print stylesheet lays the page out on A4,
// and the charts are redrawn to the paper's width before printing and to the window's after.
(function () {
  "use strict";

  function resizeCharts() {
    if (typeof window.Plotly === "undefined") {
      return;
    }
    document.querySelectorAll("[data-figure]").forEach(function (element) {
      if (element.classList.contains("js-plotly-plot")) {
        window.Plotly.Plots.resize(element);
      }
    });
  }

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
  window.addEventListener("beforeprint", resizeCharts);
  window.addEventListener("afterprint", resizeCharts);
})();
