// Draws the dashboard's Vega-Lite charts from their JSON specs (no inline script, no eval: the
// expression interpreter keeps Vega working under a strict Content-Security-Policy).
"use strict";

for (const data of document.querySelectorAll("script[type='application/json'][id$='-spec']")) {
  const target = document.getElementById(data.id.replace(/-spec$/, ""));
  if (!target || typeof vegaEmbed !== "function") continue;
  // As the public site's charts (parindex/results.js): no injected <style> (CSP style-src) and
  // the expression interpreter instead of eval() (CSP script-src).
  const options = {
    actions: false,
    renderer: "svg",
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true },
  };
  // Axis labels in the page's language: d3-format writes "4.5" unless told otherwise.
  if ((document.documentElement.lang || "vi") === "vi") {
    options.formatLocale = { decimal: ",", thousands: ".", grouping: [3], currency: ["", " ₫"] };
  }
  if (typeof vegaInterpreter !== "undefined") {
    options.ast = true;
    options.expr = vegaInterpreter.expressionInterpreter;
  }
  vegaEmbed(target, JSON.parse(data.textContent), options).catch((error) => {
    target.textContent = error.message;
  });
}
