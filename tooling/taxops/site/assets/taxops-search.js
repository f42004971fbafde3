/* taxops guideline site: search scoped to the taxonomy being read.
   On a taxonomy's pages (marked by a hidden .tx-scope element the build adds),
   Material's search results outside that taxonomy are hidden, and a line above
   the results says so, with a button to show every taxonomy's results. Labels
   no longer used carry their status in their titles ("..., retired").
   No network, no innerHTML. */
(function () {
  "use strict";
  var showAll = false;

  function scopePath() {
    var marker = document.querySelector(".tx-scope");
    if (!marker) return null;
    return {
      path: new URL(marker.dataset.root, window.location.href).pathname,
      title: marker.dataset.title || ""
    };
  }

  function apply(list, scope) {
    var hidden = 0, shown = 0;
    list.querySelectorAll(".md-search-result__item").forEach(function (item) {
      var link = item.querySelector("a");
      var inside = !link || new URL(link.href, window.location.href).pathname.indexOf(scope.path) === 0;
      var hide = !inside && !showAll;
      if (item.hidden !== hide) item.hidden = hide;
      if (hide) hidden += 1; else shown += 1;
    });
    // Material renders results ten at a time as the list scrolls; with results
    // hidden the list may not scroll at all, so ask for the next ten.
    if (hidden && shown < 10) {
      var wrap = document.querySelector(".md-search__scrollwrap");
      if (wrap) window.setTimeout(function () { wrap.dispatchEvent(new Event("scroll")); }, 0);
    }
    var note = document.querySelector(".tx-search-scope");
    var meta = document.querySelector(".md-search-result__meta");
    if (!meta) return;
    if (!note) {
      note = document.createElement("div");
      note.className = "tx-search-scope";
      var text = document.createElement("span");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "tx-search-scope-toggle";
      button.addEventListener("click", function () {
        showAll = !showAll;
        apply(list, scope);
      });
      note.appendChild(text);
      note.appendChild(document.createTextNode(" "));
      note.appendChild(button);
      meta.parentNode.insertBefore(note, meta.nextSibling);
    }
    note.querySelector("span").textContent = showAll
      ? "Results from every taxonomy."
      : "Results in " + scope.title + " only" + (hidden ? " (" + hidden + " elsewhere)." : ".");
    note.querySelector("button").textContent = showAll ? "Only " + scope.title : "Search every taxonomy";
    note.hidden = !hidden && !showAll;
  }

  function init() {
    var scope = scopePath();
    var list = document.querySelector(".md-search-result__list");
    if (!scope || !list || list.dataset.txScoped) return;
    list.dataset.txScoped = "1";
    new MutationObserver(function () { apply(list, scope); }).observe(list, { childList: true });
    apply(list, scope);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState !== "loading") {
    init();
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
