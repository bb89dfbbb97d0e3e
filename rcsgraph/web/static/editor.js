// The SPARQL editor of /sparql: syntax highlighting (CodeMirror 5, when its build is there),
// examples, prefixes, results as a table with labels and links and as a map when they name
// countries, downloads and a shareable URL (#query=...). Nothing is fetched but this server.
// Without this script (or without CodeMirror) the form is a plain textarea that still works.
"use strict";
(function () {
  const form = document.getElementById("editor");
  const text = document.getElementById("query");
  const mapped = document.getElementById("result-map");
  const examples = document.getElementById("examples");
  const output = document.getElementById("results");
  const status = document.getElementById("status");
  const downloads = document.getElementById("downloads");
  const share = document.getElementById("share");
  const data = JSON.parse(document.getElementById("editor-data").textContent);
  const endpoint = form.getAttribute("action");
  const idBase = data.idBase;
  const ontology = data.ontology;
  const cm = highlighted();

  // CodeMirror over the textarea; Tab and Shift+Tab are left to the browser, so they move focus
  // as on any form (indent with Ctrl+] and Ctrl+[ instead).
  function highlighted() {
    if (typeof window.CodeMirror !== "function") return null;
    try {
      const editor = window.CodeMirror.fromTextArea(text, {
        mode: "application/sparql-query",
        lineNumbers: true,
        lineWrapping: true,
        viewportMargin: Infinity,
        inputStyle: "contenteditable",
        screenReaderLabel: "SPARQL query",
        extraKeys: { Tab: false, "Shift-Tab": false, "Ctrl-Enter": run, "Cmd-Enter": run },
      });
      document.querySelector("label[for=query]").addEventListener("click", () => editor.focus());
      return editor;
    } catch (error) {
      return null; // the textarea stays as it is
    }
  }

  function getQuery() {
    return cm ? cm.getValue() : text.value;
  }

  function setQuery(query) {
    if (cm) cm.setValue(query);
    else text.value = query;
  }

  function el(tag, attrs, content) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function compact(iri) {
    for (const [prefix, ns] of Object.entries(data.prefixes)) {
      if (iri.startsWith(ns) && iri.length > ns.length) return prefix + ":" + iri.slice(ns.length);
    }
    return iri;
  }

  function localHref(iri) {
    if (iri.startsWith(idBase)) return "/doc/" + iri.slice(idBase.length);
    if (iri === ontology || iri.startsWith(ontology + "#")) return "/ontology" + iri.slice(ontology.length);
    return iri;
  }

  function cell(term) {
    const td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      const label = data.labels[term.value];
      td.appendChild(el("a", { href: localHref(term.value), title: term.value }, label || compact(term.value)));
      if (label) td.appendChild(el("small", { class: "iri" }, " " + compact(term.value)));
    } else {
      td.appendChild(document.createTextNode(term.value));
      const note = term["xml:lang"] ? "@" + term["xml:lang"] : term.datatype ? compact(term.datatype) : "";
      if (note) td.appendChild(el("small", {}, " " + note));
    }
    return td;
  }

  // Labels of the IRIs of the results, from the server's label index (the first LABELLED).
  const LABELLED = 200;
  async function addLabels(json) {
    if (!json.results) return;
    const wanted = new Set();
    for (const row of json.results.bindings) {
      for (const term of Object.values(row)) {
        if (term.type === "uri" && term.value.startsWith(idBase) && !(term.value in data.labels)) wanted.add(term.value);
        if (wanted.size >= LABELLED) break;
      }
      if (wanted.size >= LABELLED) break;
    }
    if (!wanted.size) return;
    const params = new URLSearchParams();
    for (const iri of wanted) params.append("iri", iri);
    try {
      const reply = await fetch(data.labelsUrl + "?" + params.toString(), { headers: { Accept: "application/json" } });
      if (reply.ok) Object.assign(data.labels, await reply.json());
    } catch (error) {
      // labels are a nicety: the table shows compact IRIs without them
    }
  }

  function table(json) {
    if (typeof json.boolean === "boolean") return el("p", { class: "answer" }, "Answer: " + json.boolean);
    const vars = json.head.vars;
    const rows = json.results.bindings;
    const result = el("table", { id: "result-table" });
    const head = el("tr");
    for (const v of vars) head.appendChild(el("th", { scope: "col" }, v));
    result.appendChild(el("thead")).appendChild(head);
    const body = result.appendChild(el("tbody"));
    for (const row of rows) {
      const tr = body.appendChild(el("tr"));
      for (const v of vars) tr.appendChild(cell(row[v]));
    }
    return result;
  }

  function url(query, format) {
    return endpoint + "?" + new URLSearchParams(format ? { query, format } : { query }).toString();
  }

  function links(query) {
    downloads.replaceChildren(document.createTextNode("Download: "));
    for (const format of ["json", "csv", "tsv", "xml"]) {
      downloads.appendChild(el("a", { href: url(query, format), download: "results." + format }, format));
      downloads.appendChild(document.createTextNode(" "));
    }
    const address = location.pathname + "#query=" + encodeURIComponent(query);
    share.replaceChildren(el("a", { href: address, id: "share-link" }, "Link to this query"));
    history.replaceState(null, "", address);
  }

  // The graph's countries the results name: by IRI, or by an ISO 3166-1 alpha-2/-3 code.
  function countries(json) {
    const found = new Set();
    for (const row of json.results ? json.results.bindings : []) {
      for (const term of Object.values(row)) {
        const code = term.type === "literal" && /^[A-Z]{2,3}$/.test(term.value);
        const iri = term.type === "uri" || code ? data.countries[term.value] : undefined;
        if (iri) found.add(iri);
      }
    }
    return [...found];
  }

  async function drawMap(json) {
    const named = countries(json);
    if (named.length === 0) return;
    const params = new URLSearchParams(named.map((iri) => ["country", iri]));
    const reply = await fetch(data.map + "?" + params.toString(), { headers: { Accept: "text/html" } });
    if (!reply.ok) return;
    const heading = el("h2", { id: "result-map-heading" }, "Countries in the results");
    const figure = el("div");
    figure.innerHTML = await reply.text(); // our own server's HTML, escaped there
    mapped.replaceChildren(heading, ...figure.childNodes);
    mapped.hidden = false;
  }

  async function run() {
    const query = getQuery();
    status.textContent = "Running…";
    output.replaceChildren();
    mapped.replaceChildren();
    mapped.hidden = true;
    try {
      const reply = await fetch(url(query), {
        headers: { Accept: "application/sparql-results+json, text/turtle;q=0.9" },
      });
      const body = await reply.text();
      if (!reply.ok) {
        status.textContent = "Error " + reply.status + ": " + body;
        return;
      }
      links(query);
      if ((reply.headers.get("Content-Type") || "").includes("json")) {
        const json = JSON.parse(body);
        await addLabels(json);
        const count = json.results ? json.results.bindings.length : 1;
        const cap = reply.headers.get("X-Row-Cap");
        status.textContent = count + (count === 1 ? " row" : " rows") + (cap ? " (cut at " + cap + ")" : "");
        output.appendChild(table(json));
        await drawMap(json);
      } else {
        status.textContent = "Graph answer (Turtle)";
        output.appendChild(el("pre", {}, body));
      }
    } catch (error) {
      status.textContent = "The request failed: " + error;
    }
  }

  examples.addEventListener("change", function () {
    if (examples.value in data.examples) setQuery(data.examples[examples.value]);
  });
  document.getElementById("add-prefixes").addEventListener("click", function () {
    const missing = Object.entries(data.prefixes)
      .filter(([p]) => !new RegExp("PREFIX\\s+" + p + ":", "i").test(getQuery()))
      .map(([p, ns]) => "PREFIX " + p + ": <" + ns + ">\n");
    setQuery(missing.join("") + getQuery());
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });
  text.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });
  const shared = new URLSearchParams(location.hash.slice(1)).get("query");
  if (shared) {
    setQuery(shared);
    run();
  }
})();
