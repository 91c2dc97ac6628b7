// Progressive enhancement of the start page: the peildatum/regelingen form reloads only
// the figures (the server answers requests with HX-Request with the partial template).
// Without JavaScript the form is a plain GET form and works the same.
(function () {
  "use strict";
  var form = document.getElementById("cijferkeuze");
  var target = document.getElementById("cijfers");
  var status = document.getElementById("cijfers-status");
  if (!form || !target || !window.fetch || !window.URLSearchParams) { return; }

  function load(url, push) {
    target.setAttribute("aria-busy", "true");
    return fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      })
      .then(function (html) {
        target.innerHTML = html;
        if (push) { history.pushState({ cijfers: true }, "", url); }
        var total = target.querySelector("[data-testid='bestand-totaal']");
        var date = document.getElementById("id_peildatum");
        if (status) {
          status.textContent = "Cijfers bijgewerkt" + (date && date.value ? " voor peildatum " + date.value.split("-").reverse().join("-") : "") +
            (total ? ": " + total.textContent + " klanten met een uitkering." : ".");
        }
      })
      .catch(function () { window.location.href = url; })
      .finally(function () { target.removeAttribute("aria-busy"); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var params = new URLSearchParams(new FormData(form));
    load(form.action.split("?")[0] + "?" + params.toString(), true);
  });
  window.addEventListener("popstate", function () { window.location.reload(); });
}());
