/* docent default theme: optional enhancements only (the site works without them).
   1. Theme toggle that remembers the reader's choice.
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

  var button = document.querySelector(".theme-toggle");
  if (button) {
    var sync = function () { button.setAttribute("aria-pressed", String(isDark())); };
    button.hidden = false;
    sync();
    button.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem(KEY, next); } catch (e) { /* not remembered */ }
      sync();
    });
  }

  // Glossary tooltips: Escape hides the one showing (WCAG 1.4.13).
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    Array.prototype.forEach.call(document.querySelectorAll(".glossary-tip"), function (t) { t.classList.add("dismissed"); });
  });
  document.addEventListener("focusin", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".glossary-tip.dismissed"), function (t) { t.classList.remove("dismissed"); });
  });

  // Search as you type (the search page only); Pagefind loads on demand.
  var form = document.querySelector(".search-form[data-pagefind]");
  if (form) {
    var input = form.querySelector("input");
    var list = document.getElementById("search-results");
    var status = document.querySelector(".search-status");
    var engine = null;
    var load = function () {
      engine = engine || import(form.getAttribute("data-pagefind")).then(function (pf) { return pf.init().then(function () { return pf; }); });
      return engine;
    };
    var run = function () {
      var q = input.value.trim();
      if (!q) { list.innerHTML = ""; status.textContent = ""; return; }
      load().then(function (pf) { return pf.debouncedSearch(q, {}, 120); }).then(function (found) {
        if (!found) return;
        return Promise.all(found.results.slice(0, 10).map(function (r) { return r.data(); })).then(function (items) {
          list.innerHTML = "";
          items.forEach(function (d) {
            var li = document.createElement("li");
            var a = document.createElement("a");
            a.href = d.url;
            a.textContent = (d.meta && d.meta.title) || d.url;
            var p = document.createElement("p");
            p.innerHTML = d.excerpt;
            li.appendChild(a);
            li.appendChild(p);
            list.appendChild(li);
          });
          status.textContent = found.results.length + (found.results.length === 1 ? " result" : " results") + " for “" + q + "”";
        });
      });
    };
    input.addEventListener("input", run);
    form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
    form.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && list.querySelector("a")) { e.preventDefault(); list.querySelector("a").focus(); }
    });
    list.addEventListener("keydown", function (e) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var i = links.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && i < links.length - 1) { e.preventDefault(); links[i + 1].focus(); }
      if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
    });
    var initial = new URLSearchParams(location.search).get("q");
    if (initial) { input.value = initial; run(); }
  }

  var links = document.querySelectorAll(".toc-sidebar a[href^='#']");
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
