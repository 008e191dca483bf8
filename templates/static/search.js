/* Kith search: the search box in the header and the search page.
 *
 * The index is split so that a query fetches only what it needs, once:
 *   search.json           manifest: document count, shard keys and sizes, kinds, weights
 *   search/t/<key>.json   terms starting with <key>: [title, meta, summary, body] postings
 *   search/d/<n>.json     display records [kind, title, path, summary, detail], `chunk` per file
 *   search/f/<f>-<s>.json the documents of one type, area or tag
 * Posting lists are either gaps in base 32 (a base64url digit, plus 32 while
 * more digits follow) or "~" and a base64url bitmap. Terms are made exactly
 * as Kith makes them (Sources/Site/Outputs/SearchText.swift): NFD, accents
 * and apostrophes dropped, lower case, runs of letters, digits and marks. */
(function () {
  "use strict";

  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var DIGIT = new Int8Array(128);
  for (var i = 0; i < ALPHABET.length; i++) DIGIT[ALPHABET.charCodeAt(i)] = i;
  var WORD = /[\p{L}\p{N}\p{M}]+/gu;
  var ENDS_IN_WORD = /[\p{L}\p{N}\p{M}]$/u;
  var LONGEST_KEY = 4;
  // Above this many bytes of shards, a short prefix waits for more letters.
  var PREFIX_BUDGET = 60000;
  var PAGE_SIZE = 10;
  var LIVE_SIZE = 6;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f'\u2019\u02bc]/g, "").toLowerCase();
  }

  function termsOf(text) {
    var words = fold(text).match(WORD) || [];
    var seen = new Set();
    return words.filter(function (w) {
      if (Array.from(w).length < 2 || seen.has(w)) return false;
      seen.add(w);
      return true;
    });
  }

  function fileName(key) {
    return Array.from(key).map(function (c) {
      return /^[a-z0-9]$/.test(c) ? c : "-" + c.codePointAt(0).toString(16) + "-";
    }).join("");
  }

  function decode(text, count) {
    var ids = [];
    if (!text) return ids;
    var i, v;
    if (text.charCodeAt(0) === 126) {
      var bit = 0;
      for (i = 1; i < text.length; i++) {
        v = DIGIT[text.charCodeAt(i)];
        for (var s = 5; s >= 0; s--, bit++) if (bit < count && (v >> s) & 1) ids.push(bit);
      }
      return ids;
    }
    var previous = -1, number = 0;
    for (i = 0; i < text.length; i++) {
      v = DIGIT[text.charCodeAt(i)];
      number = number * 32 + (v & 31);
      if (v < 32) { previous += number; ids.push(previous); number = 0; }
    }
    return ids;
  }

  /* One index, shared by every form that names the same search.json. */
  var indexes = new Map();

  function Index(manifestURL) {
    this.url = manifestURL;
    this.files = new Map();
  }

  Index.for = function (href) {
    var url = new URL(href, location.href).href;
    if (!indexes.has(url)) indexes.set(url, new Index(url));
    return indexes.get(url);
  };

  /* A JSON file next to search.json; null when it does not exist. */
  Index.prototype.get = function (path) {
    var url = new URL(path, this.url).href;
    var files = this.files;
    if (!files.has(url)) {
      files.set(url, fetch(url).then(function (response) {
        if (response.status === 404) return null;
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }).catch(function (error) {
        files.delete(url);
        throw error;
      }));
    }
    return files.get(url);
  };

  Index.prototype.manifest = function () {
    return this.get(this.url);
  };

  /* The shards holding a term, or every term starting with it. */
  function shardKeys(manifest, term, prefix) {
    var shards = manifest.shards;
    var chars = Array.from(term);
    var keys = [];
    for (var length = Math.min(chars.length, LONGEST_KEY); length >= 1; length--) {
      var key = chars.slice(0, length).join("");
      if (Object.prototype.hasOwnProperty.call(shards, key)) { keys.push(key); break; }
    }
    var partial = false;
    if (prefix) {
      var longer = Object.keys(shards).filter(function (key) {
        return key.length > term.length && key.startsWith(term);
      });
      var bytes = longer.reduce(function (sum, key) { return sum + shards[key]; }, 0);
      if (bytes <= PREFIX_BUDGET) keys = keys.concat(longer);
      else partial = true;
    }
    return { keys: keys, partial: partial };
  }

  /* Runs a query.
   * Returns { ids, partial } with ids best first, or null when there is nothing to look for. */
  async function search(index, query, filters) {
    var manifest = await index.manifest();
    var count = manifest.count, weights = manifest.weights;
    var terms = termsOf(query);
    var facets = Object.keys(filters).filter(function (name) { return filters[name]; });
    if (!terms.length && !facets.length) return null;
    var lastIsPrefix = ENDS_IN_WORD.test(fold(query));
    var score = new Float64Array(count);
    var hits = new Uint8Array(count);
    var partial = false;

    for (var t = 0; t < terms.length; t++) {
      var term = terms[t];
      var prefix = lastIsPrefix && t === terms.length - 1;
      var plan = shardKeys(manifest, term, prefix);
      partial = partial || plan.partial;
      var shards = await Promise.all(plan.keys.map(function (key) {
        return index.get("search/t/" + fileName(key) + ".json");
      }));
      var flags = new Uint8Array(count);
      shards.forEach(function (shard) {
        if (!shard) return;
        var names = prefix ? Object.keys(shard).filter(function (name) { return name.startsWith(term); })
          : (Object.prototype.hasOwnProperty.call(shard, term) ? [term] : []);
        names.forEach(function (name) {
          var lists = shard[name];
          for (var field = 0; field < lists.length; field++) {
            var mark = (1 << field) | (name === term ? 16 : 0);
            decode(lists[field], count).forEach(function (id) { flags[id] |= mark; });
          }
        });
      });
      for (var id = 0; id < count; id++) {
        var f = flags[id];
        if (!f) continue;
        hits[id]++;
        for (var w = 0; w < weights.length; w++) if (f & (1 << w)) score[id] += weights[w];
        if (f & 16) score[id] += 1;
      }
    }

    var allowed = null;
    for (var k = 0; k < facets.length; k++) {
      var members = await index.get("search/f/" + facets[k] + "-" + filters[facets[k]] + ".json");
      var mask = new Uint8Array(count);
      decode(members || "", count).forEach(function (id) { if (!allowed || allowed[id]) mask[id] = 1; });
      allowed = mask;
    }

    var ids = [];
    for (var d = 0; d < count; d++) {
      if (hits[d] === terms.length && (!allowed || allowed[d])) ids.push(d);
    }
    ids.sort(function (a, b) { return score[b] - score[a] || a - b; });
    return { ids: ids, partial: partial };
  }

  /* Display records of some documents, in the same order. */
  async function records(index, ids) {
    var manifest = await index.manifest();
    var chunk = manifest.chunk;
    return Promise.all(ids.map(async function (id) {
      var file = await index.get("search/d/" + Math.floor(id / chunk) + ".json");
      var r = file[id % chunk];
      var kind = manifest.kinds[r[0]] || { label: r[0], colour: "#545d66" };
      return { kind: kind, title: r[1], path: r[2], summary: r[3], detail: r[4] };
    }));
  }

  function pageURL(root, path) {
    return new URL(path === "" || path.endsWith("/") ? path + "index.html" : path, root).href;
  }

  function element(name, className, text) {
    var node = document.createElement(name);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  function describe(count, query, partial) {
    var about = query.trim() ? " for \u201c" + query.trim() + "\u201d" : "";
    var text = count ? plural(count, "result", "results") + about + "." : "Nothing found" + about + ".";
    if (partial) text += " Type more of the last word to see every match.";
    return text;
  }

  function failure(error) {
    if (location.protocol === "file:") {
      return "Search works once the directory is on a web server. Opened from a folder, use the type, area and tag pages.";
    }
    return "Search is not available just now (" + error.message + "). The type, area and tag pages list everything.";
  }

  function debounce(action, delay) {
    var timer = 0;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(action, delay);
    };
  }

  /* The search page: a form with filters, results as you type, more on request. */
  function setUpPage(form) {
    var index = Index.for(form.getAttribute("data-search-index"));
    var root = new URL(form.getAttribute("data-search-root"), location.href);
    var container = form.parentNode;
    var status = container.querySelector("[data-search-status]");
    var list = container.querySelector("[data-search-results]");
    var more = container.querySelector("[data-search-more]");
    var input = form.elements.q;
    var selects = ["type", "area", "tag"].map(function (name) { return form.elements[name]; }).filter(Boolean);
    var serial = 0, found = [], shown = 0;

    form.hidden = false;
    var fallback = container.querySelector("[data-search-fallback]");
    if (fallback) fallback.hidden = true;
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    selects.forEach(function (select) { select.value = params.get(select.name) || ""; });

    function filters() {
      var chosen = {};
      selects.forEach(function (select) { chosen[select.name] = select.value; });
      return chosen;
    }

    function remember() {
      var params = new URLSearchParams();
      if (input.value.trim()) params.set("q", input.value.trim());
      selects.forEach(function (select) { if (select.value) params.set(select.name, select.value); });
      var search = params.toString();
      history.replaceState(null, "", location.pathname + (search ? "?" + search : ""));
    }

    async function showMore() {
      var mine = serial;
      var next = await records(index, found.slice(shown, shown + PAGE_SIZE));
      if (mine !== serial) return;
      next.forEach(function (record) {
        var item = element("li", "search-result");
        item.style.setProperty("--type-colour", record.kind.colour);
        var title = element("h2", "search-result__title");
        var link = element("a", "", record.title);
        link.href = pageURL(root, record.path);
        title.appendChild(link);
        var meta = element("p", "search-result__meta");
        meta.appendChild(element("span", "badge", record.kind.label));
        if (record.detail) meta.appendChild(element("span", "search-result__detail", record.detail));
        item.appendChild(title);
        item.appendChild(meta);
        if (record.summary) item.appendChild(element("p", "search-result__summary", record.summary));
        list.appendChild(item);
      });
      shown += next.length;
      more.hidden = shown >= found.length;
    }

    async function update() {
      var mine = ++serial;
      remember();
      try {
        var result = await search(index, input.value, filters());
        if (mine !== serial) return;
        list.textContent = "";
        found = result ? result.ids : [];
        shown = 0;
        more.hidden = true;
        if (!result) {
          status.textContent = input.value.trim() ? "Type at least two letters, or choose a type, area or tag." : "";
          return;
        }
        status.textContent = describe(found.length, input.value, result.partial);
        await showMore();
      } catch (error) {
        if (mine === serial) status.textContent = failure(error);
      }
    }

    input.addEventListener("input", debounce(update, 150));
    selects.forEach(function (select) { select.addEventListener("change", update); });
    form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
    more.addEventListener("click", function () {
      var first = list.children.length;
      showMore().then(function () {
        var link = list.children[first] && list.children[first].querySelector("a");
        if (link) link.focus();
      });
    });
    if (input.value || selects.some(function (select) { return select.value; })) update();
  }

  /* The header box: the best few matches under it as you type. */
  function setUpLive(form) {
    var index = Index.for(form.getAttribute("data-search-index"));
    var root = new URL(form.getAttribute("data-search-root"), location.href);
    var input = form.elements.q;
    var status = form.querySelector("[data-search-status]");
    var panel = form.querySelector("[data-search-panel]");
    var list = form.querySelector("[data-search-results]");
    var serial = 0;

    function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

    function close() { panel.hidden = true; }

    function open() { panel.hidden = false; }

    async function update() {
      var mine = ++serial;
      var query = input.value;
      try {
        var result = await search(index, query, {});
        if (mine !== serial) return;
        if (!result) {
          list.textContent = "";
          status.textContent = query.trim() ? "Type at least two letters." : "";
          close();
          return;
        }
        var top = await records(index, result.ids.slice(0, LIVE_SIZE));
        if (mine !== serial) return;
        list.textContent = "";
        top.forEach(function (record) {
          var item = element("li", "search__result");
          item.style.setProperty("--type-colour", record.kind.colour);
          var link = element("a");
          link.href = pageURL(root, record.path);
          link.appendChild(element("span", "search__result-title", record.title));
          link.appendChild(element("span", "search__result-meta", record.kind.label + (record.detail ? " \u00b7 " + record.detail : "")));
          item.appendChild(link);
          list.appendChild(item);
        });
        var all = element("li", "search__all");
        var allLink = element("a", "", result.ids.length ? "See all " + plural(result.ids.length, "result", "results") + " and filter them"
          : "Search with filters");
        allLink.href = new URL(form.getAttribute("action"), location.href).href + "?q=" + encodeURIComponent(query.trim());
        all.appendChild(allLink);
        list.appendChild(all);
        status.textContent = describe(result.ids.length, query, result.partial);
        open();
      } catch (error) {
        if (mine !== serial) return;
        list.textContent = "";
        var item = element("li", "search__error", failure(error));
        list.appendChild(item);
        status.textContent = item.textContent;
        open();
      }
    }

    input.addEventListener("input", debounce(update, 150));
    input.addEventListener("focus", function () {
      index.manifest().catch(function () {});
      if (list.children.length && input.value.trim()) open();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && !panel.hidden && links().length) {
        event.preventDefault();
        links()[0].focus();
      } else if (event.key === "Escape") {
        if (!panel.hidden) close();
        else input.value = "";
      }
    });
    list.addEventListener("keydown", function (event) {
      var all = links();
      var at = all.indexOf(document.activeElement);
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var next = at + (event.key === "ArrowDown" ? 1 : -1);
        if (next < 0) input.focus();
        else all[Math.min(next, all.length - 1)].focus();
      } else if (event.key === "Escape") {
        close();
        input.focus();
      }
    });
    form.addEventListener("focusout", function (event) {
      if (!event.relatedTarget || !form.contains(event.relatedTarget)) close();
    });
  }

  function start() {
    document.querySelectorAll("form[data-search-page]").forEach(setUpPage);
    document.querySelectorAll("form[data-search-live]").forEach(setUpLive);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
