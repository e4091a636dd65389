// Public results pages: sortable tables and Vega-Lite charts. No inline script: the chart
// specifications come in a <script type="application/json" id="chart-specs"> data block.
(function () {
  "use strict";

  function cellValue(row, index, type) {
    var cell = row.cells[index];
    var raw = cell ? cell.getAttribute("data-sort") : "";
    if (raw === null) raw = cell.textContent;
    if (type === "text") return raw.trim();
    var number = parseFloat(raw);
    return isNaN(number) ? null : number;
  }

  function sortTable(table, header) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var index = headers.indexOf(header);
    var type = header.getAttribute("data-type") || "number";
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var lang = document.documentElement.lang || "vi";
    rows.sort(function (a, b) {
      var x = cellValue(a, index, type), y = cellValue(b, index, type);
      if (x === null && y === null) return 0;
      if (x === null) return 1;   // units without a figure stay at the bottom
      if (y === null) return -1;
      var order = type === "text" ? String(x).localeCompare(String(y), lang) : x - y;
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (header) {
      var button = header.querySelector("button");
      if (button) button.addEventListener("click", function () { sortTable(table, header); });
    });
  });

  var block = document.getElementById("chart-specs");
  if (!block || typeof vegaEmbed === "undefined") return;
  var specs = JSON.parse(block.textContent);
  // defaultStyle: false keeps vega-embed from injecting a <style> element (CSP style-src).
  var options = {
    actions: false,
    renderer: "svg",
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true },  // styled in site.css instead
  };
  // Axis labels and tooltips speak the page's language: d3-format's default is English
  // ("88.37"); a Vietnamese reader writes "88,37" and groups thousands with a dot.
  if ((document.documentElement.lang || "vi") === "vi") {
    options.formatLocale = { decimal: ",", thousands: ".", grouping: [3], currency: ["", " ₫"] };
  }
  // The interpreter evaluates Vega expressions without eval(), so a strict CSP holds.
  if (typeof vegaInterpreter !== "undefined") {
    options.ast = true;
    options.expr = vegaInterpreter.expressionInterpreter;
  }
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var spec = specs[element.getAttribute("data-chart")];
    if (!spec) return;
    vegaEmbed(element, spec, options).then(function () {
      element.setAttribute("data-rendered", "true");
    }).catch(function (error) {
      element.textContent = String(error);
    });
  });
})();
