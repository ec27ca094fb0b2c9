// Sends the analyse forms with fetch so the page can show progress; without JavaScript the forms
// post normally and the browser waits for the redirect to the article.
(function () {
  "use strict";
  var progress = document.getElementById("progress");
  var progressText = document.getElementById("progress-text");
  var errorBox = document.getElementById("analyse-error");
  if (!progress || !window.fetch || !window.FormData) { return; }

  function message(body, status) {
    if (body && typeof body.detail === "string") { return body.detail; }
    if (body && Array.isArray(body.detail)) {
      return body.detail.map(function (e) { return e.msg || String(e); }).join("; ");
    }
    return "The server answered " + status + ".";
  }

  function setBusy(busy) {
    document.querySelectorAll(".analyse-form button").forEach(function (button) { button.disabled = busy; });
    progress.hidden = !busy;
  }

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = false;
  }

  document.querySelectorAll("form.analyse-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      errorBox.hidden = true;
      var started = Date.now();
      var what = form.id === "form-url" ? "Fetching and analysing" : "Analysing";
      progressText.textContent = what + "…";
      setBusy(true);
      var timer = window.setInterval(function () {
        var seconds = Math.round((Date.now() - started) / 1000);
        progressText.textContent = what + "… " + seconds + " s";
      }, 500);
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        return response.json().catch(function () { return null; }).then(function (body) {
          if (response.ok && body && typeof body.location === "string" && body.location.charAt(0) === "/") {
            progressText.textContent = "Done, opening the article…";
            window.location.assign(body.location);
            return;
          }
          window.clearInterval(timer);
          setBusy(false);
          var text = message(body, response.status);
          if (response.status === 401) { text += " Sign in with the server's token (link at the top)."; }
          showError(text);
        });
      }).catch(function () {
        window.clearInterval(timer);
        setBusy(false);
        showError("The server could not be reached. Is spinlens serve still running?");
      });
    });
  });
})();
