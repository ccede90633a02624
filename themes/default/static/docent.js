/* docent default theme: optional enhancements only (the site works without them).
   1. Theme toggle that remembers the reader's choice; search box focus;
      loading docent's search script when a search box is first used.
   2. Scroll-spy: marks the TOC entry of the section being read. */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "docent-theme";
  try {
    var saved = localStorage.getItem(KEY);
    if (saved === "dark" || saved === "light") root.setAttribute("data-theme", saved);
  } catch (e) { /* storage blocked: follow the system scheme */ }

  function isDark() {
    var t = root.getAttribute("data-theme");
    if (t) return t === "dark";
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }

  // The toggles (one in the menu, one in the sidebar) keep their space
  // while invisible; the "js" class shows them without moving anything.
  var buttons = document.querySelectorAll(".theme-toggle");
  var sync = function () {
    Array.prototype.forEach.call(buttons, function (b) { b.setAttribute("aria-pressed", String(isDark())); });
  };
  Array.prototype.forEach.call(buttons, function (b) {
    b.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem(KEY, next); } catch (e) { /* not remembered */ }
      sync();
    });
  });
  sync();
  root.classList.add("js");

  // The header's search disclosure puts the cursor in its box when opened.
  var search = document.querySelector(".header-search");
  if (search) {
    search.addEventListener("toggle", function () {
      if (search.open) search.querySelector("input").focus();
    });
  }
  // Results as you type: docent's search script, loaded the first time a
  // search box is used (pages that are only read never fetch it).
  var scriptFor = document.querySelector("form[data-search-script]");
  if (scriptFor && !document.querySelector(".search-form[data-search-index]")) {
    var loadSearch = function () {
      document.removeEventListener("focusin", onFocus);
      var s = document.createElement("script");
      s.src = scriptFor.getAttribute("data-search-script");
      document.head.appendChild(s);
    };
    var onFocus = function (e) {
      if (e.target.form && e.target.form.hasAttribute("data-search-script")) loadSearch();
    };
    document.addEventListener("focusin", onFocus);
  }

  // Glossary tooltips: Escape hides the one showing (WCAG 1.4.13).
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    Array.prototype.forEach.call(document.querySelectorAll(".glossary-tip"), function (t) { t.classList.add("dismissed"); });
  });
  document.addEventListener("focusin", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".glossary-tip.dismissed"), function (t) { t.classList.remove("dismissed"); });
  });

  var links = document.querySelectorAll(".toc a[href^='#']");
  if (!links.length || !("IntersectionObserver" in window)) return;
  var byId = {};
  Array.prototype.forEach.call(links, function (a) {
    byId[decodeURIComponent(a.getAttribute("href").slice(1))] = a;
  });
  var current = null;
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      var link = byId[entry.target.id];
      if (!link || link === current) return;
      if (current) current.removeAttribute("aria-current");
      link.setAttribute("aria-current", "location");
      current = link;
    });
  }, { rootMargin: "0px 0px -70% 0px" });
  Object.keys(byId).forEach(function (id) {
    var el = document.getElementById(id);
    if (el) observer.observe(el);
  });
})();
