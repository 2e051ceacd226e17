// The query page: examples from the named queries, results as a sortable table.
// Every value from the graph is put in the page as text (textContent), never as HTML.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let catalog = {}, prefixes = {}, lastRows = null;

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function shorten(iri) {
    let best = null;
    for (const [p, ns] of Object.entries(prefixes)) {
      if (iri.startsWith(ns) && iri.length > ns.length && (!best || ns.length > best[1].length)) best = [p, ns];
    }
    return best ? best[0] + ":" + iri.slice(best[1].length) : iri;
  }

  function cell(term) {
    const td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      const a = el("a", { href: "/entity?iri=" + encodeURIComponent(term.value), title: term.value }, shorten(term.value));
      td.appendChild(a);
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) { td.setAttribute("lang", term["xml:lang"]); td.title = "@" + term["xml:lang"]; }
    }
    return td;
  }

  function sortKey(term) {
    if (!term) return "";
    const n = Number(term.value);
    return term.type === "literal" && term.value.trim() !== "" && !isNaN(n) ? n : (term.type === "uri" ? shorten(term.value) : term.value);
  }

  function renderTable(vars, rows) {
    lastRows = rows;
    const wrap = $("table-wrap");
    wrap.textContent = "";
    const table = el("table", { id: "results-table" });
    const head = el("tr");
    vars.forEach((v, i) => {
      const th = el("th", { scope: "col", "data-col": String(i) }, v);
      th.addEventListener("click", () => sortBy(vars, v, th));
      head.appendChild(th);
    });
    const thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
    const body = el("tbody");
    for (const row of rows) {
      const tr = el("tr");
      for (const v of vars) tr.appendChild(cell(row[v]));
      body.appendChild(tr);
    }
    table.appendChild(body);
    wrap.appendChild(table);
    $("status").textContent = rows.length + " row" + (rows.length === 1 ? "" : "s");
  }

  function sortBy(vars, v, th) {
    const ascending = th.getAttribute("aria-sort") !== "ascending";
    const rows = lastRows.slice().sort((a, b) => {
      const x = sortKey(a[v]), y = sortKey(b[v]);
      const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return ascending ? c : -c;
    });
    renderTable(vars, rows);
    document.querySelector('#results-table th[data-col="' + vars.indexOf(v) + '"]')
      .setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  // N-Triples (CONSTRUCT / DESCRIBE answers) -> rows of subject, predicate, object.
  function parseNTriples(text) {
    const term = /\s*(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?)/y;
    const rows = [];
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      term.lastIndex = 0;
      const parts = [];
      for (let i = 0; i < 3; i++) {
        const m = term.exec(line);
        if (!m) break;
        parts.push(m[1]);
      }
      if (parts.length < 3) continue;
      const row = {};
      ["subject", "predicate", "object"].forEach((name, i) => {
        const t = parts[i];
        if (t.startsWith("<")) row[name] = { type: "uri", value: t.slice(1, -1) };
        else if (t.startsWith("_:")) row[name] = { type: "bnode", value: t.slice(2) };
        else {
          const end = t.lastIndexOf('"');
          row[name] = { type: "literal", value: JSON.parse(t.slice(0, end + 1)) };
        }
      });
      rows.push(row);
    }
    return rows;
  }

  function downloads(base, kinds) {
    const p = $("downloads");
    p.textContent = "Download: ";
    for (const [fmt, label] of kinds) {
      p.appendChild(el("a", { href: base + "&format=" + fmt, download: "results." + fmt }, label));
    }
    p.hidden = false;
  }

  async function run(event) {
    event.preventDefault();
    for (const id of ["error", "truncated", "downloads"]) $(id).hidden = true;
    $("table-wrap").textContent = "";
    $("status").textContent = "running\u2026";
    const name = $("example").value;
    const named = name && catalog[name] && $("query").value === catalog[name].text;
    let url, body;
    if (named) {
      const params = new URLSearchParams({ name: name });
      for (const input of $("params").querySelectorAll("input")) {
        if (input.value.trim()) params.set("param." + input.name, input.value.trim());
      }
      url = "/api/named"; body = params;
    } else {
      url = "/sparql"; body = new URLSearchParams({ query: $("query").value });
    }
    let response;
    try {
      response = await fetch(url, { method: "POST", body: body,
        headers: { Accept: "application/sparql-results+json, application/n-triples;q=0.9" } });
    } catch (err) {
      $("status").textContent = ""; $("error").textContent = String(err); $("error").hidden = false; return;
    }
    const text = await response.text();
    $("status").textContent = "";
    if (!response.ok) {
      $("error").textContent = response.status + ": " + text; $("error").hidden = false; return;
    }
    const type = response.headers.get("Content-Type") || "";
    const base = url + "?" + body.toString();
    const limit = response.headers.get("X-SPARQL-Max-Rows");
    const cut = (rows) => {  // a long answer comes in pieces, without the header: as many rows as the limit
      if (response.headers.get("X-SPARQL-Truncated") !== "true" && String(rows) !== limit) return;
      $("truncated").textContent = "Showing the first " + limit + " rows: the server's row limit cut the rest.";
      $("truncated").hidden = false;
    };
    if (type.startsWith("application/n-triples")) {
      cut();  // a graph answer is written whole: the header says
      renderTable(["subject", "predicate", "object"], parseNTriples(text));
      downloads(base, [["ttl", "Turtle"], ["nt", "N-Triples"], ["jsonld", "JSON-LD"]]);
      return;
    }
    const data = JSON.parse(text);
    if ("boolean" in data) {
      $("table-wrap").appendChild(el("p", { id: "boolean" }, String(data.boolean)));
      $("status").textContent = "";
    } else {
      cut(data.results.bindings.length);
      renderTable(data.head.vars, data.results.bindings);
    }
    downloads(base, [["csv", "CSV"], ["tsv", "TSV"], ["json", "JSON"], ["xml", "XML"]]);
  }

  function chooseExample() {
    const q = catalog[$("example").value];
    const form = $("params");
    form.textContent = "";
    $("example-description").textContent = q ? q.description : "";
    if (!q) return;
    $("query").value = q.text;
    for (const p of q.params) {
      const id = "param-" + p.name;
      form.appendChild(el("label", { for: id }, p.name + " (" + p.type + ")"));
      form.appendChild(el("input", { id: id, name: p.name, type: "text", placeholder: p.description || p.type,
                                     "aria-label": p.name }));
    }
  }

  async function start() {
    $("query-form").addEventListener("submit", run);
    $("example").addEventListener("change", chooseExample);
    const response = await fetch("/api/queries");
    const data = await response.json();
    prefixes = data.prefixes;
    for (const q of data.queries) {
      catalog[q.name] = q;
      $("example").appendChild(el("option", { value: q.name }, q.title + " (" + q.name + ")"));
    }
    document.body.setAttribute("data-ready", "true");
  }
  start();
})();
