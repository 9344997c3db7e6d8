/* Analysis run status: poll the JSON status and announce when the run is done. */
(function () {
  "use strict";
  var box = document.getElementById("run-status");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("run-progress");
  var percent = document.getElementById("run-percent");
  var stage = document.getElementById("run-stage");
  var announce = document.getElementById("run-announce");
  var doneLink = document.getElementById("run-done-link");
  var refresh = document.getElementById("run-refresh");
  var again = document.getElementById("run-again");
  var background = document.getElementById("run-background");
  var lastStage = stage ? stage.textContent : "";

  function finished() {
    if (refresh) { refresh.hidden = true; }
    if (background) { background.hidden = true; }
  }

  function say(text, cls) {
    var p = document.createElement("p");
    p.className = cls;
    p.textContent = text;
    announce.textContent = "";
    announce.appendChild(p);
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (s) {
        bar.value = s.progress;
        bar.textContent = s.progress + " %";
        percent.textContent = s.progress + " %";
        if (s.stage !== lastStage) { stage.textContent = s.stage; lastStage = s.stage; }
        if (s.done) {
          say(box.getAttribute("data-done-text"), "run-done");
          doneLink.hidden = false;
          finished();
        } else if (s.failed) {
          say(s.message || box.getAttribute("data-failed-text"), "run-failed");
          finished();
          if (again) { again.hidden = false; }
        } else {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  if (box.getAttribute("data-active") === "true") {
    // The page updates itself: the link to reload it is for browsers without script.
    if (refresh) { refresh.hidden = true; }
    window.setTimeout(poll, 1000);
  }
})();
