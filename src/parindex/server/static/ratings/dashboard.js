// Draws the dashboard's Vega-Lite charts from their JSON specs (no inline script, no eval: the
// expression interpreter keeps Vega working under a strict Content-Security-Policy).
"use strict";

for (const data of document.querySelectorAll("script[type='application/json'][id$='-spec']")) {
  const target = document.getElementById(data.id.replace(/-spec$/, ""));
  if (!target || typeof vegaEmbed !== "function") continue;
  const options = { actions: false, renderer: "svg" };
  if (typeof vega !== "undefined" && vega.expressionInterpreter) {
    options.ast = true;
    options.expr = vega.expressionInterpreter;
  }
  vegaEmbed(target, JSON.parse(data.textContent), options).catch((error) => {
    target.textContent = error.message;
  });
}
