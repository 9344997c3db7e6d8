/* Guest page: a note stays on the phone until the server has stored it, then it is forgotten. */
(function () {
  "use strict";
  var root = document.getElementById("guest");
  if (!root || !window.fetch || !window.FormData || !root.closest) return;
  var d = root.dataset;
  var storeKey = "gjestebud-drafts-" + d.meal;
  var max = parseInt(d.max, 10);
  var memory = []; // when localStorage is blocked, drafts live as long as the page
  var busy = false;
  var consent = document.getElementById("feedback-consent");

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey) || "[]"); } catch (e) { return memory; }
  }
  function save(drafts) {
    memory = drafts;
    try {
      if (drafts.length) localStorage.setItem(storeKey, JSON.stringify(drafts));
      else localStorage.removeItem(storeKey);
    } catch (e) { /* keep them in memory */ }
  }
  function forget(key) {
    save(load().filter(function (x) { return x.key !== key; }));
  }
  function newKey() {
    var c = window.crypto;
    if (c && c.randomUUID) return c.randomUUID();
    var bytes = new Uint8Array(16), i;
    if (c && c.getRandomValues) c.getRandomValues(bytes);
    else for (i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  function padFor(q) { return root.querySelector('[data-question="' + q + '"]'); }
  function say(pad, text) {
    var s = pad && pad.querySelector(".pad-status");
    if (s) s.textContent = text;
  }
  function item(draft) {
    var pad = padFor(draft.q), li;
    if (!pad) return null;
    li = pad.querySelector('[data-key="' + draft.key + '"]');
    if (!li) {
      li = document.createElement("li");
      li.setAttribute("data-key", draft.key);
      li.appendChild(document.createElement("span")).className = "note-status";
      li.appendChild(document.createTextNode(draft.text));
      pad.querySelector(".sent-notes").appendChild(li);
    }
    return li;
  }
  function mark(draft, state) {
    var li = item(draft);
    if (!li) return;
    li.className = state === "sent" ? "" : "queued";
    li.firstChild.textContent = state === "sent" ? d.msgSent : state === "sending" ? d.msgSending : d.msgQueued;
  }

  function csrf() {
    var f = root.querySelector("input[name=csrf_token]");
    return f ? f.value : "";
  }
  function setCsrf(token) {
    Array.prototype.forEach.call(root.querySelectorAll("input[name=csrf_token]"), function (f) { f.value = token; });
  }

  // Resolves to true when the server has answered for good (stored or refused), false to retry later.
  function send(draft, retried) {
    var body = new FormData();
    body.append("csrf_token", csrf());
    body.append("question_id", draft.q);
    body.append("client_key", draft.key);
    body.append("text", draft.text);
    body.append("website", "");
    return fetch(d.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf() }
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (r.ok) return done(draft);
        if (j.error === "csrf" && j.csrf_token && !retried) {
          setCsrf(j.csrf_token);
          return send(draft, true);
        }
        if (r.status === 429 || r.status >= 500 || j.error === "csrf") return wait(draft);
        return refuse(draft, j.message);
      });
    }, function () { return wait(draft); });
  }
  function done(draft) {
    forget(draft.key); // only now, after the server's commit
    mark(draft, "sent");
    if (consent) consent.hidden = false; // the offer of results by e-mail, after a sent note
    say(padFor(draft.q), d.msgThanks);
    return true;
  }
  function wait(draft) {
    mark(draft, "queued");
    say(padFor(draft.q), d.msgQueuedLong);
    return false;
  }
  function refuse(draft, message) {
    // The server will never take this note (e.g. the campaign closed): give the text back.
    var pad = padFor(draft.q), li = item(draft), area = pad && pad.querySelector("textarea");
    forget(draft.key);
    if (li) li.parentNode.removeChild(li);
    if (area) { area.value = area.value ? area.value + "\n" + draft.text : draft.text; count(area); }
    say(pad, message || "");
    return true;
  }

  function offline() { return navigator.onLine === false; }

  function flush() {
    if (busy) return;
    var drafts = load(), i = 0;
    if (!drafts.length) return;
    if (offline()) { // no point trying: say they wait, and try when the browser is online
      drafts.forEach(function (draft) { mark(draft, "queued"); });
      return;
    }
    busy = true;
    (function next(ok) {
      if (ok === false || i >= drafts.length) {
        busy = false;
        if (ok !== false && load().length) flush(); // notes written while we were sending
        return;
      }
      var draft = drafts[i++];
      mark(draft, "sending");
      send(draft).then(next, function () { next(false); });
    })();
  }

  function count(area) {
    var c = document.getElementById(area.id + "-counter"), left = max - area.value.length;
    if (!c) return;
    c.textContent = (left < 0 ? d.msgOver : d.msgLeft).replace("{n}", Math.abs(left));
    c.className = left < 0 ? "counter over" : "counter";
  }

  root.addEventListener("input", function (e) {
    if (e.target.tagName === "TEXTAREA") count(e.target);
  });
  root.addEventListener("submit", function (e) {
    var form = e.target, area = form.querySelector("textarea"), pad = form.closest(".pad");
    var text = area.value.trim(), drafts, draft;
    e.preventDefault();
    if (!text || text.length > max) {
      say(pad, text ? d.msgOver.replace("{n}", text.length - max) : d.msgEmpty);
      area.focus();
      return;
    }
    draft = { key: newKey(), q: form.querySelector("[name=question_id]").value, text: text };
    drafts = load();
    drafts.push(draft);
    save(drafts); // first on the phone, then to the server
    area.value = "";
    count(area);
    mark(draft, offline() ? "queued" : "sending");
    if (offline()) say(pad, d.msgQueuedLong);
    flush();
  });

  Array.prototype.forEach.call(root.querySelectorAll("textarea"), count);
  // A draft the server already stored (its answer was lost) is listed by the server with the
  // same key: mark that item instead of adding a second one.
  load().forEach(function (draft) { mark(draft, "queued"); });
  window.addEventListener("online", flush);
  setInterval(flush, 15000);
  flush();
})();
