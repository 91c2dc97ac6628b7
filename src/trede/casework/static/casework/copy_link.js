// The "Kopieer de link" button of the intake page (a static file for the CSP).
(function () {
  var button = document.getElementById("link-kopieer");
  var input = document.getElementById("link-tekst");
  var status = document.getElementById("link-gekopieerd");
  if (!button || !navigator.clipboard) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(input.value).then(function () {
      status.textContent = "De link is gekopieerd.";
    }, function () {
      input.select();
      status.textContent = "Kopiëren lukte niet. De link is geselecteerd: kopieer hem met Ctrl+C.";
    });
  });
  input.addEventListener("focus", function () { input.select(); });
})();
