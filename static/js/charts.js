// Draws every chart on the page: each element with data-figure="ID" gets the plotly figure
// whose JSON is in <script type="application/json" id="ID"> (Django's json_script, never run).
// A file, not an inline script, so that a strict Content-Security-Policy allows it. The world
// map's outlines come from our own static files (data-topojson-url), never from a CDN. The
// modebar keeps plotly's own "Download plot as a PNG" button.
(function () {
  "use strict";

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-figure"));
    if (!source || typeof window.Plotly === "undefined") {
      return;
    }
    var figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(element, figure.data || [], figure.layout || {}, {
      responsive: true,
      displaylogo: false,
      // plotly.js 4 offers to upload the chart to Plotly Cloud by default: our data stay here.
      showSendToCloud: false,
      plotlyServerURL: "",
      topojsonURL: element.getAttribute("data-topojson-url"),
      toImageButtonOptions: {
        format: "png",
        filename: element.getAttribute("data-filename") || "raregate-chart",
        scale: 2,
      },
    }).then(function () {
      name(element, figure.layout || {});
    });
  }

  // Screen readers meet the chart as one image named by its title and what the template says
  // about it (its caption, or where its figures are listed as text): the plot's own SVG gets
  // role=img, plotly's hover layer is hidden from them, its modebar buttons stay reachable.
  function name(element, layout) {
    var title = layout.title && (layout.title.text || layout.title);
    var plain = typeof title === "string" ? title.replace(/<[^>]*>/g, " ") : "";
    var label = [plain.replace(/\s+/g, " ").trim(), element.getAttribute("data-chart-alternative")]
      .filter(Boolean)
      .join(". ");
    element.querySelectorAll("svg.main-svg").forEach(function (svg, index) {
      if (index === 0) {
        svg.setAttribute("role", "img");
        svg.setAttribute("aria-label", label);
      } else {
        svg.setAttribute("aria-hidden", "true");
      }
    });
  }

  document.querySelectorAll("[data-figure]").forEach(draw);
})();
