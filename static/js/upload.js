// The upload form's "Upload and import": sends the file with a progress bar, then follows the
// import's stages until the server answers, and opens the import's page. Without this script
// (or on any surprise) the form posts as a plain form does. A file, not an inline script, so
// that a strict Content-Security-Policy allows it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-upload]");
  if (!form || !window.XMLHttpRequest || !window.FormData) {
    return;
  }
  var panel = form.querySelector("[data-upload-progress]");
  var bar = panel.querySelector("progress");
  var state = panel.querySelector("[data-upload-state]");
  var steps = panel.querySelector("[data-upload-steps]");
  var tokenInput = form.querySelector("input[name=progress_token]");
  var polling = null;

  function newToken() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function say(text, stage) {
    state.textContent = text;
    panel.setAttribute("data-stage", stage);
  }

  function showSteps(list) {
    steps.textContent = "";
    list.forEach(function (step) {
      var item = document.createElement("li");
      item.className = "steps__step steps__step--" + step.state;
      item.textContent = step.label + (step.detail ? " (" + step.detail + ")" : "");
      steps.appendChild(item);
    });
  }

  function follow(url) {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer || !answer.batch) {
          return;
        }
        if (answer.steps.length) {
          showSteps(answer.steps);
        }
        var finished = ["succeeded", "failed", "withdrawn"].indexOf(answer.status) >= 0;
        say("Import " + answer.batch + ": " + answer.status_label.toLowerCase() + (finished ? "." : "…"), "importing");
      })
      .catch(function () { /* the next poll tries again */ });
  }

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.hasAttribute("formaction")) {
      return; // Preview: a plain post
    }
    event.preventDefault();
    var token = newToken();
    tokenInput.value = token;
    var progressUrl = form.getAttribute("data-progress-url").replace("TOKEN", token);
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("X-RareGate-Upload", "1");
    request.upload.addEventListener("progress", function (progress) {
      if (progress.lengthComputable) {
        bar.max = progress.total;
        bar.value = progress.loaded;
        say("Sending the file: " + Math.round((100 * progress.loaded) / progress.total) + "%", "sending");
      }
    });
    request.upload.addEventListener("load", function () {
      bar.value = bar.max;
      say("File sent: importing…", "importing");
      polling = window.setInterval(function () { follow(progressUrl); }, 700);
    });
    request.addEventListener("load", function () {
      window.clearInterval(polling);
      var type = request.getResponseHeader("Content-Type") || "";
      if (request.status === 200 && type.indexOf("application/json") === 0) {
        say("Done: opening the import…", "done");
        window.location.assign(JSON.parse(request.responseText).url);
      } else {
        form.submit(); // the form's own answer (an error to show): post it plainly
      }
    });
    request.addEventListener("error", function () {
      window.clearInterval(polling);
      form.submit();
    });
    panel.hidden = false;
    form.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
    say("Sending the file…", "sending");
    request.send(new FormData(form));
  });
})();
