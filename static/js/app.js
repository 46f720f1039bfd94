// Small progressive enhancements; the pages work without JavaScript.
// Elements with data-poll-url reload their inner HTML from that URL every few
// seconds until the fragment no longer carries data-poll-url (job finished).
(function () {
  "use strict";
  function poll(el) {
    var url = el.getAttribute("data-poll-url");
    if (!url) return;
    var interval = parseInt(el.getAttribute("data-poll-interval") || "1500", 10);
    window.setTimeout(function () {
      fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html;
          var fresh = holder.firstElementChild;
          if (!fresh) return;
          el.replaceWith(fresh);
          poll(fresh);
        })
        .catch(function () { poll(el); });
    }, interval);
  }
  // Buttons with data-confirm ask before submitting their form.
  function confirmable(root) {
    root.querySelectorAll("[data-confirm]").forEach(function (btn) {
      btn.addEventListener("click", function (ev) {
        if (!window.confirm(btn.getAttribute("data-confirm"))) ev.preventDefault();
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-poll-url]").forEach(poll);
    confirmable(document);
  });
})();
