// Search inside the published site, in the browser: names in Chinese characters or in any
// Latin spelling the index lists, the visible part of ID numbers, words of published
// documents. The index is a script (assets/search-index.js) rather than a fetched file so
// that the site searches from file:// as well as from a web server; nothing is sent anywhere.
"use strict";

(function () {
  const index = window.TROVE_SEARCH;
  const form = document.getElementById("search");
  if (!index || !form) return;

  // One form for every spelling: no accents (Ö → O), no case, no spaces or name dots.
  const fold = (text) =>
    text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[\s·•‧・.\-'’‘`]/g, "");

  const persons = index.persons.map(([id, label, href, keys]) => ({
    id, label, href, keys: keys.map(fold),
  }));
  const documents = index.documents.map(([id, title, href, text]) => ({
    id, title, href, text: fold(text),
  }));

  const show = (list, items, describe) => {
    list.replaceChildren(
      ...items.map((item) => {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = item.href;
        a.textContent = describe(item);
        li.append(a);
        return li;
      }),
    );
  };

  const search = (query) => {
    const q = fold(query);
    if (q.length < 2) return;
    const foundPersons = persons.filter((p) => p.keys.some((k) => k.includes(q))).slice(0, 100);
    const foundDocuments = documents.filter((d) => d.text.includes(q)).slice(0, 50);
    show(document.getElementById("persons"), foundPersons, (p) => `${p.label} (${p.id})`);
    show(document.getElementById("documents"), foundDocuments, (d) => `${d.title} (${d.id})`);
    document.getElementById("summary").textContent =
      `${foundPersons.length} persons and ${foundDocuments.length} documents found for “${query}”.`;
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    search(document.getElementById("q").value);
  });
  const asked = new URLSearchParams(window.location.search).get("q");
  if (asked) {
    document.getElementById("q").value = asked;
    search(asked);
  }
})();
