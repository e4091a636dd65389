// The field page's live totals (assessments/field.html, self-assessment mode). A static file:
// the Content-Security-Policy runs no inline script.
(() => {
  // Live totals: typed self scores and the rule's points for computed components, summed as
  // the server will sum them; the server recomputes everything when the page is saved.
  const form = document.getElementById("field-form");
  const locale = JSON.parse(document.getElementById("number-locale").textContent);
  const show = (x) => x.toLocaleString(locale, {minimumFractionDigits: 2, maximumFractionDigits: 2});
  const number = (text) => { const v = parseFloat(String(text).trim().replace(",", ".")); return isNaN(v) ? 0 : v; };
  function update() {
    // Adding up is the server's rule only in a sum edition; a mean edition waits for the save.
    if (!form.dataset.live) return;
    let field = 0;
    form.querySelectorAll("article.component").forEach((article) => {
      const typed = article.querySelector("input[data-self]");
      const fixed = article.querySelector("[data-points]");
      field += typed ? Math.min(number(typed.value), number(article.dataset.max)) : number(fixed ? fixed.dataset.points : 0);
    });
    document.getElementById("field-total").textContent = show(field);
    document.getElementById("overall-total").textContent = show(field + number(form.dataset.other));
  }
  async function compute(article) {
    const params = new URLSearchParams({component: article.dataset.component});
    article.querySelectorAll("input[data-input]").forEach((i) => params.set(i.dataset.input, i.value));
    const out = article.querySelector("output[data-computed]");
    const reply = await fetch(form.dataset.pointsUrl + "?" + params);
    const body = await reply.json();
    out.dataset.points = reply.ok ? body.points : "";
    out.textContent = reply.ok ? body.shown : "—";
    update();
  }
  form.addEventListener("input", (event) => {
    const article = event.target.closest("article.component");
    if (event.target.dataset.input !== undefined) compute(article); else update();
  });
  // The script is deferred: a score typed (or restored by the browser) before it ran has had
  // no input event, so the totals are brought up to the form's values once at start.
  update();
})();
