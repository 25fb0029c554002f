// Narrow screens show each row of a data table as a card (static/css/raregate.css, under
// 800 px): every cell gets its column's header as a data-label the CSS prints beside it.
// Without this script the table stays a table inside its scrolling frame.
(function () {
  "use strict";
  var tables = document.querySelectorAll("table.data");
  Array.prototype.forEach.call(tables, function (table) {
    var headRows = table.tHead ? table.tHead.rows : [];
    if (!headRows.length) return;
    var labels = [];
    Array.prototype.forEach.call(headRows[headRows.length - 1].cells, function (cell) {
      var text = (cell.getAttribute("data-label") || cell.textContent).replace(/\s+/g, " ").trim();
      for (var span = 0; span < (cell.colSpan || 1); span += 1) labels.push(text);
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var label = labels[column];
          if (label && !cell.hasAttribute("data-label") && (cell.colSpan || 1) === 1) {
            cell.setAttribute("data-label", label);
          }
          column += cell.colSpan || 1;
        });
      });
    });
    table.classList.add("data--cards");
  });
})();
