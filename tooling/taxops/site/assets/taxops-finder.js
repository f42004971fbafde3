/* taxops label finder, for a large taxonomy's pages (.tx-finder elements).
   The index is split into pieces by word prefix (taxops.site.finder): the
   manifest says how many labels each piece holds; a search loads the piece of
   its rarest word only, then keeps the labels matching every word typed.
   Words are compared as the build wrote them: NFKC, lower case, split at
   spaces and _-./: . No network but the site's own files, no innerHTML. */
(function () {
  "use strict";
  var SHOWN = 30;
  var manifests = {};
  var pieces = {};

  function words(text) {
    return text.normalize("NFKC").toLowerCase().split(/[\s_\-./:]+/).filter(Boolean);
  }

  function getJSON(url, cache) {
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      });
    }
    return cache[url];
  }

  // The pieces that hold every label with a word starting with `word`.
  function piecesFor(manifest, word) {
    var keys = Object.keys(manifest.pieces);
    var best = null;
    keys.forEach(function (k) {
      if (k.slice(-1) !== "$" && word.indexOf(k) === 0 && (best === null || k.length > best.length)) best = k;
    });
    if (best !== null) return { keys: [best], count: manifest.pieces[best] };
    var found = keys.filter(function (k) { return k.indexOf(word) === 0 || k === word + "$"; });
    var count = found.reduce(function (n, k) { return n + manifest.pieces[k]; }, 0);
    return { keys: found, count: count };
  }

  function hex(text) {
    return Array.from(new TextEncoder().encode(text)).map(function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  }

  function matches(entry, query) {
    var own = [];
    [entry[0], entry[1]].concat(entry.slice(4)).forEach(function (t) { own = own.concat(words(t)); });
    return query.every(function (q) {
      return own.some(function (w) { return w.indexOf(q) === 0; });
    });
  }

  function show(box, found, message) {
    var list = box.querySelector(".tx-finder-results");
    var status = box.querySelector(".tx-finder-status");
    while (list.firstChild) list.removeChild(list.firstChild);
    status.textContent = message;
    found.slice(0, SHOWN).forEach(function (entry) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = new URL(entry[2], box.dataset.base).href;
      link.textContent = entry[0];
      var id = document.createElement("code");
      id.textContent = entry[1];
      item.appendChild(link);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(id);
      if (entry[3] !== "active") {
        var badge = document.createElement("small");
        badge.className = "tx-badge tx-badge--" + entry[3];
        badge.textContent = entry[3];
        item.appendChild(document.createTextNode(" "));
        item.appendChild(badge);
      }
      list.appendChild(item);
    });
  }

  function search(box, text) {
    var query = words(text);
    if (!query.length || query.join("").length < 2) return show(box, [], "");
    var base = box.dataset.base;
    getJSON(new URL("manifest.json", base).href, manifests).then(function (manifest) {
      var choices = query.map(function (w) { return piecesFor(manifest, w); });
      var rarest = choices.reduce(function (a, b) { return b.count < a.count ? b : a; });
      if (!rarest.keys.length) return show(box, [], "No label matches.");
      if (rarest.keys.length > 8) return show(box, [], "Keep typing: more than " + rarest.count + " labels start like that.");
      // A word too many labels share has no piece (manifest.load_limit): ask for another.
      if (rarest.count > (manifest.load_limit || Infinity)) return show(box, [], "Add another word of the name or the id: " + rarest.count + " labels have a word like that.");
      return Promise.all(rarest.keys.map(function (k) {
        return getJSON(new URL(hex(k) + ".json", base).href, pieces);
      })).then(function (lists) {
        var seen = {};
        var found = [];
        lists.forEach(function (list) {
          list.forEach(function (entry) {
            if (!seen[entry[1]] && matches(entry, query)) {
              seen[entry[1]] = true;
              found.push(entry);
            }
          });
        });
        var n = found.length;
        show(box, found, n ? (n > SHOWN ? SHOWN + " of " + n + " labels" : n + (n === 1 ? " label" : " labels")) : "No label matches.");
      });
    }).catch(function () { show(box, [], "The label index could not be read."); });
  }

  function init() {
    document.querySelectorAll(".tx-finder").forEach(function (box) {
      if (box.dataset.txReady) return;
      box.dataset.txReady = "1";
      box.dataset.base = new URL(box.dataset.index, window.location.href).href;
      var input = box.querySelector(".tx-finder-input");
      var timer = null;
      input.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () { search(box, input.value); }, 120);
      });
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState !== "loading") {
    init();
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
