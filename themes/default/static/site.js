// smsite: small progressive enhancements; every page reads without them.
(function () {
  "use strict";
  // Sortable tables: select a column heading (click, Enter or Space) to sort.
  function cellValue(row, i) {
    var c = row.cells[i];
    return c ? c.textContent.trim() : "";
  }
  function compare(a, b) {
    var na = parseFloat(a), nb = parseFloat(b);
    if (!isNaN(na) && !isNaN(nb) && /^-?[\d.]+$/.test(a) && /^-?[\d.]+$/.test(b)) return na - nb;
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, i) {
      th.tabIndex = 0;
      th.setAttribute("role", "columnheader");
      function sort() {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var c = compare(cellValue(r1, i), cellValue(r2, i));
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
  });

  // Search (the only feature that needs JavaScript). The index is a script
  // (search-index.js) so it loads from file:// too; it is fetched on first use.
  var form = document.querySelector("form.search");
  if (!form) return;
  var root = form.getAttribute("data-root") || "";
  var input = document.getElementById("search-q");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  form.hidden = false;
  var ix = null, loading = false, active = -1, shown = [];
  function load() {
    if (ix || loading) return;
    if (window.SMSITE_SEARCH) { prepare(); return; }
    loading = true;
    var s = document.createElement("script");
    s.src = root + "search-index.js";
    s.onload = function () { loading = false; if (window.SMSITE_SEARCH) { prepare(); run(); } };
    s.onerror = function () { loading = false; status.textContent = "The search index could not be loaded."; };
    document.head.appendChild(s);
  }
  function prepare() {
    var raw = window.SMSITE_SEARCH;
    var docs = raw.d.map(function (d) {
      return { id: d[0], idl: d[0].toLowerCase(), title: d[1], tl: d[1].toLowerCase(), url: "doc/" + d[0] + ".html",
        kind: raw.k[d[2]], heads: d[3].toLowerCase(), words: d[4] ? d[4].split(" ").map(function (x) { return parseInt(x, 36); }) : [] };
    });
    var reqs = raw.r.map(function (r) {
      var short = r[0].indexOf(":") >= 0 ? r[0].slice(r[0].indexOf(":") + 1) : r[0];
      return { id: r[0], idl: r[0].toLowerCase(), short: short.toLowerCase(), title: r[1], tl: r[1].toLowerCase(),
        url: "req/" + r[0].replace(":", "/") + ".html", kind: "requirement", heads: "", words: [] };
    });
    ix = { docs: docs, reqs: reqs, vocab: raw.w };
  }
  function score(item, q, terms, vocabHits) {
    var s = 0;
    if (item.idl === q || item.short === q) s += 1000;
    else if (item.idl.indexOf(q) === 0 || (item.short && item.short.indexOf(q) === 0)) s += 300;
    for (var t = 0; t < terms.length; t++) {
      var term = terms[t], hit = 0;
      if (item.idl.indexOf(term) >= 0) hit = 60;
      else if ((" " + item.tl).indexOf(" " + term) >= 0) hit = 30;
      else if (item.tl.indexOf(term) >= 0) hit = 20;
      else if (item.heads.indexOf(term) >= 0) hit = 10;
      else {
        var set = vocabHits[t];
        for (var w = 0; w < item.words.length; w++) {
          if (set.has(item.words[w])) { hit = 4; break; }
        }
      }
      if (!hit) return 0;
      s += hit;
    }
    return s;
  }
  function search(query) {
    var q = query.trim().toLowerCase();
    if (!q || !ix) return [];
    var terms = q.split(/\s+/);
    var vocabHits = terms.map(function (term) {
      var set = new Set();
      if (term.length >= 2) ix.vocab.forEach(function (w, i) { if (w.indexOf(term) === 0) set.add(i); });
      return set;
    });
    var out = [];
    ix.reqs.concat(ix.docs).forEach(function (item) {
      var s = score(item, q, terms, vocabHits);
      if (s > 0) out.push({ item: item, score: s });
    });
    out.sort(function (a, b) { return b.score - a.score || a.item.id.localeCompare(b.item.id, undefined, { numeric: true }); });
    return out.slice(0, 20).map(function (r) { return r.item; });
  }
  function select(i) {
    var items = list.children;
    if (active >= 0 && items[active]) items[active].setAttribute("aria-selected", "false");
    active = i;
    if (active >= 0 && items[active]) {
      items[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }
  function close() {
    list.hidden = true; list.innerHTML = ""; shown = []; active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }
  function run() {
    if (!input.value.trim()) { close(); status.textContent = ""; return; }
    if (!ix) { load(); status.textContent = "Loading the search index…"; return; }
    shown = search(input.value);
    list.innerHTML = "";
    shown.forEach(function (item, i) {
      var li = document.createElement("li");
      li.id = "search-result-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var a = document.createElement("a");
      a.href = root + item.url;
      a.tabIndex = -1;
      var id = document.createElement("strong");
      id.textContent = item.id;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = item.kind;
      a.appendChild(id);
      a.appendChild(document.createTextNode(" " + item.title + " "));
      a.appendChild(kind);
      li.appendChild(a);
      li.addEventListener("mousedown", function (e) { e.preventDefault(); location.href = a.href; });
      list.appendChild(li);
    });
    active = -1;
    list.hidden = shown.length === 0;
    input.setAttribute("aria-expanded", shown.length ? "true" : "false");
    status.textContent = shown.length ? shown.length + " result" + (shown.length === 1 ? "" : "s") : "No results";
    if (shown.length) select(0);
  }
  input.addEventListener("focus", load);
  input.addEventListener("input", run);
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { e.preventDefault(); if (shown.length) select((active + 1) % shown.length); }
    else if (e.key === "ArrowUp") { e.preventDefault(); if (shown.length) select((active - 1 + shown.length) % shown.length); }
    else if (e.key === "Enter") {
      e.preventDefault();
      if (active >= 0 && shown[active]) location.href = root + shown[active].url;
    } else if (e.key === "Escape") { if (input.value) { input.value = ""; } close(); }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target, tag = t && t.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
    e.preventDefault();
    input.focus();
    input.select();
  });
})();
// Collapsed notes (`??? type`) are printed open, and closed again after.
(function () {
  "use strict";
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) { d.open = true; opened.push(d); });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
