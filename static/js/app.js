// Small progressive enhancements; the pages work without JavaScript.
// Loaded in <head> without defer so the "js" class is set before the first paint: on a phone the
// side navigation then starts hidden behind the menu button (without JavaScript it is simply shown).
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");

  // The menu button shows and hides the side navigation on narrow screens.
  function menu() {
    var button = document.querySelector(".nav-toggle");
    if (!button) return;
    function set(open) {
      root.classList.toggle("nav-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
    button.addEventListener("click", function () {
      var open = !root.classList.contains("nav-open");
      set(open);
      if (open) {
        var first = document.querySelector("#mainnav a");
        if (first) first.focus();
      }
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && root.classList.contains("nav-open")) {
        set(false);
        button.focus();
      }
    });
  }

  // A table wider (or longer) than its container scrolls inside it; keyboard users reach it with Tab
  // and scroll it with the arrow keys. It is named after its caption or the heading above it.
  function labelFor(box) {
    var caption = box.querySelector("caption");
    if (caption) return caption.textContent.trim();
    var image = box.querySelector("img[alt]");
    if (image) return image.getAttribute("alt");
    var el = box;
    while (el && el !== document.body) {
      var prev = el.previousElementSibling;
      while (prev) {
        if (/^H[1-4]$/.test(prev.tagName)) return prev.textContent.trim();
        var inner = prev.querySelector && prev.querySelector("h1, h2, h3, h4");
        if (inner) return inner.textContent.trim();
        prev = prev.previousElementSibling;
      }
      el = el.parentElement;
    }
    var h1 = document.querySelector("h1");
    return h1 ? h1.textContent.trim() : document.title;
  }
  function scrollables() {
    document.querySelectorAll(".table-container, pre, .payroll-sample, figure.chart").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", labelFor(box));
      } else if (!scrolls && box.getAttribute("role") === "group") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  // Elements with data-poll-url reload their inner HTML from that URL every few
  // seconds until the fragment no longer carries data-poll-url (job finished).
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
          confirmable(fresh);
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
    menu();
    scrollables();
    var pending = false;
    window.addEventListener("resize", function () {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        scrollables();
      });
    });
    document.querySelectorAll("[data-poll-url]").forEach(poll);
    confirmable(document);
  });
})();
