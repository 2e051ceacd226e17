/* conflictgraph network page. Reads the page data (JSON in <script type="application/json">),
   draws it with vis-network and builds every piece of text with textContent: no string from the
   data ever reaches innerHTML, an attribute that runs code, or vis-network's HTML tooltips (no
   node or edge has a title; the tooltip is this page's own element). */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("cg-page-data").textContent);
  var meta = DATA.meta, rawNodes = DATA.nodes, rawEdges = DATA.edges;
  var relations = DATA.relations, groups = DATA.groups;
  var statements = DATA.statements, sources = DATA.sources, events = DATA.events;
  var SVG = "http://www.w3.org/2000/svg";
  var MAX_LISTED = 200;

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function add(parent, tag, text, cls) { var e = el(tag, text, cls); parent.appendChild(e); return e; }
  function humanType(t) {
    if (!t) return "Unknown type";
    var words = String(t).replace(/([a-z])([A-Z])/g, "$1 $2").split(" ");
    return [words[0]].concat(words.slice(1).map(function (w) { return w.toLowerCase(); })).join(" ");
  }
  function norm(s) { return String(s).toLowerCase().normalize("NFKD").replace(/[^\p{L}\p{N}]+/gu, ""); }

  // Visibility ------------------------------------------------------------------------------
  var state = { date: null, span: "day", window: null, relations: {}, physics: meta.layout !== "igraph" };
  relations.forEach(function (r, i) { state.relations[i] = true; });
  var edgeShown = new Uint8Array(rawEdges.length);
  var degree = new Int32Array(rawNodes.length);
  var totalDegree = new Int32Array(rawNodes.length);
  var edgesOf = rawNodes.map(function () { return []; });
  rawEdges.forEach(function (e) {
    totalDegree[e.from]++; totalDegree[e.to]++;
    edgesOf[e.from].push(e.id); edgesOf[e.to].push(e.id);
  });
  // In force at some day of [low, high] (ISO days), as the CLI's --as-of and --between count it:
  // within one of the tie's spans when its evidence leaves gaps; open bounds always hold.
  function overlaps(start, end, low, high) { return (!start || start <= high) && (!end || end >= low); }
  function inForce(e, window) {
    if (!window) return true;
    if (!e.spans) return overlaps(e.start, e.end, window[0], window[1]);
    for (var i = 0; i < e.spans.length; i++) if (overlaps(e.spans[i][0], e.spans[i][1], window[0], window[1])) return true;
    return false;
  }
  function recompute() {
    degree.fill(0);
    for (var i = 0; i < rawEdges.length; i++) {
      var e = rawEdges[i];
      var ok = state.relations[e.rel] && inForce(e, state.window);
      edgeShown[i] = ok ? 1 : 0;
      if (ok) { degree[e.from]++; degree[e.to]++; }
    }
  }
  function nodeShown(id) { return degree[id] > 0 || totalDegree[id] === 0; }

  // Styles ----------------------------------------------------------------------------------
  function darker(hex) {
    var n = parseInt(hex.slice(1), 16);
    var f = function (s) { return Math.max(0, Math.round(((n >> s) & 255) * 0.65)); };
    return "rgb(" + f(16) + "," + f(8) + "," + f(0) + ")";
  }
  function nodeStyle(n) {
    var colour = (groups[n.group] || { colour: "#bab0ac" }).colour;
    var o = { id: n.id, label: n.label, size: n.size, shape: n.shape,
              color: { background: colour, border: darker(colour),
                       highlight: { background: colour, border: "#000000" },
                       hover: { background: colour, border: "#000000" } } };
    if (n.x !== undefined) { o.x = n.x; o.y = n.y; }
    return o;
  }
  function edgeWidth(e) { return 1 + 1.2 * Math.log2(Math.max(1, e.weight || 1)); }
  function edgeStyle(e) {
    var r = relations[e.rel];
    var o = { id: e.id, from: e.from, to: e.to, width: edgeWidth(e),
              color: { color: r.colour, highlight: r.colour, hover: r.colour, opacity: 0.85 },
              dashes: e.self ? [7, 5] : false,
              arrows: { to: { enabled: !r.symmetric, type: "arrow", scaleFactor: 0.55 },
                        middle: { enabled: r.sign !== 1, type: r.sign < 0 ? "bar" : "circle", scaleFactor: 0.7 } } };
    if (e.bend) {
      o.smooth = { enabled: true, type: e.bend % 2 ? "curvedCW" : "curvedCCW", roundness: 0.18 * Math.ceil(e.bend / 2) };
    }
    return o;
  }

  // The network -----------------------------------------------------------------------------
  recompute();
  var nodes = new vis.DataSet(rawNodes.map(nodeStyle));
  var edges = new vis.DataSet(rawEdges.map(edgeStyle));
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return nodeShown(n.id); } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return edgeShown[e.id] === 1; } });
  var container = $("cg-network");
  var page = window.cgPage = { data: DATA, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
                               drawn: false, stable: false, state: state };
  var network = page.network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, DATA.options);
  network.once("afterDrawing", function () {
    page.drawn = true; page.drawnAt = performance.now();
    if (!DATA.options.physics.enabled) { page.stable = true; page.stableAt = page.drawnAt; }
  });
  function settled() { if (!page.stable) { page.stable = true; page.stableAt = performance.now(); } }
  network.on("stabilizationIterationsDone", settled);
  network.on("stabilized", settled);

  // Header and state line -------------------------------------------------------------------
  document.title = meta.title;
  $("cg-title").textContent = meta.title;
  $("cg-data").textContent = [meta.data ? "Data: " + meta.data : "", meta.facets, meta.sizing, meta.colouring]
    .filter(Boolean).join(" \u00b7 ");
  if (meta.cut) { $("cg-cut").textContent = meta.cut; $("cg-cut").hidden = false; }
  function updateState() {
    var shownNodes = 0, shownEdges = 0, i;
    for (i = 0; i < rawNodes.length; i++) if (nodeShown(i)) shownNodes++;
    for (i = 0; i < rawEdges.length; i++) shownEdges += edgeShown[i];
    var when = !state.window ? "All dates"
      : (state.window[0] === state.window[1] ? "Ties in force on " + state.window[0]
         : "Ties in force between " + state.window[0] + " and " + state.window[1]) +
        " (undated ties are drawn at every date)";
    $("cg-state").textContent = when + " \u00b7 " + shownNodes + " of " + rawNodes.length + " nodes, " +
      shownEdges + " of " + rawEdges.length + " ties drawn";
  }
  function refresh() {
    recompute();
    nodeView.refresh();
    edgeView.refresh();
    updateState();
  }

  // Tooltip (own element, text only) ----------------------------------------------------------
  var tip = $("cg-tooltip");
  function relationPhrase(e) {
    var r = relations[e.rel], a = rawNodes[e.from].name, b = rawNodes[e.to].name;
    return a + (r.symmetric ? " \u2014 " : " \u2192 ") + r.label + (r.symmetric ? " \u2014 " : " \u2192 ") + b;
  }
  function dates(e) {
    if (!e.start && !e.end) return "undated (drawn at every date)";
    return (e.start || "?") + " to " + (e.end || "open");
  }
  // On a page cut to its heaviest ties, a node's ties in the whole network (tn).
  function wholeTies(n) { return n.tn > totalDegree[n.id] ? " (" + n.tn + " in the whole network)" : ""; }
  function tooltipLines(kind, id) {
    if (kind === "node") {
      var n = rawNodes[id], lines = [n.name, humanType(n.type)];
      if (n.aliases.length) lines.push("Also: " + n.aliases.slice(0, 4).join("; ") + (n.aliases.length > 4 ? "; \u2026" : ""));
      lines.push(meta.size_by + ": " + n.score);
      lines.push(degree[id] + " of " + totalDegree[id] + " ties drawn" + wholeTies(n));
      return lines;
    }
    var e = rawEdges[id], r = relations[e.rel];
    var out = [relationPhrase(e), r.kind + ", weight " + e.weight, dates(e),
               e.st.length + " statement" + (e.st.length === 1 ? "" : "s") + ", " + e.src.length + " source" +
               (e.src.length === 1 ? "" : "s")];
    if (e.self) out.push("Self-reported: every statement comes from one of its two ends");
    return out;
  }
  function showTip(kind, id, pointer) {
    tip.replaceChildren();
    tooltipLines(kind, id).forEach(function (line, i) { add(tip, "div", line, i === 0 ? "cg-tip-head" : null); });
    var box = container.getBoundingClientRect();
    var x = box.left + pointer.x + 14, y = box.top + pointer.y + 14;
    tip.hidden = false;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    if (x + w > window.innerWidth - 4) x = Math.max(4, x - w - 28);
    if (y + h > window.innerHeight - 4) y = Math.max(4, y - h - 28);
    tip.style.left = x + "px"; tip.style.top = y + "px";
  }
  function hideTip() { tip.hidden = true; }
  network.on("hoverNode", function (p) { showTip("node", p.node, p.pointer.DOM); });
  network.on("hoverEdge", function (p) { showTip("edge", p.edge, p.pointer.DOM); });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);
  container.addEventListener("mouseleave", hideTip);

  // Side panel (textContent only) -----------------------------------------------------------
  var panel = $("cg-panel");
  function sourceText(index) {
    var s = sources[index];
    if (!s) return "unknown source";
    var extra = [s.publisher, s.issued].filter(Boolean).join(", ");
    return (s.title || s.iri) + (extra ? " (" + extra + ")" : "");
  }
  function field(dl, name, value) {
    if (value === undefined || value === null || value === "") return;
    add(dl, "dt", name); add(dl, "dd", value);
  }
  function statementItem(list, index) {
    var s = statements[index], li = add(list, "li", null, "cg-statement");
    add(li, "p", s.summary || "(no summary)", "cg-summary");
    if (s.quote) add(li, "blockquote", "\u201c" + s.quote + "\u201d", "cg-quote");
    var who;
    if (s.speaker) who = "Said by " + s.speaker + (s.behalf && s.behalf !== s.speaker ? " for " + s.behalf : "");
    else if (s.behalf) who = "Said for " + s.behalf;
    else if (s.voice === "report") who = "Stated by the report itself";
    else who = "Speaker not recorded";
    who += ", " + (s.date && s.date !== "unknown" ? "on " + s.date : "date unknown");
    add(li, "p", who, "cg-who");
    add(li, "p", s.source !== null && s.source !== undefined ? "In " + sourceText(s.source) : "Source not recorded",
        "cg-where");
    if (!s.summary && !s.speaker && !s.voice) add(li, "p", s.iri, "cg-iri");
  }
  function statementList(parent, indexes, heading) {
    if (!indexes.length) return;  // ties from imported events alone: their events say it, not an empty list
    add(parent, "h3", heading + " (" + indexes.length + ")");
    var list = add(parent, "ol", null, "cg-statements");
    indexes.slice(0, MAX_LISTED).forEach(function (i) { statementItem(list, i); });
    if (indexes.length > MAX_LISTED) add(parent, "p", "and " + (indexes.length - MAX_LISTED) + " more", "cg-more");
  }
  function sourceList(parent, indexes) {
    add(parent, "h3", "Sources (" + indexes.length + ")");
    var list = add(parent, "ul", null, "cg-sources");
    indexes.slice(0, MAX_LISTED).forEach(function (i) { add(list, "li", sourceText(i)); });
  }
  function closeButton() {
    var b = add(panel, "button", "\u00d7", "cg-close");
    b.type = "button"; b.setAttribute("aria-label", "Close the panel");
    b.addEventListener("click", function () { network.unselectAll(); hint(); });
  }
  function hint() {
    panel.replaceChildren();
    if (stripFocus) setStripFocus(null);
    add(panel, "p", "Click a node or a tie to see its statements and sources. Hover for a summary.", "cg-hint");
  }
  function showEdge(id) {
    var e = rawEdges[id], r = relations[e.rel];
    panel.replaceChildren(); panel.dataset.kind = "edge"; panel.dataset.id = String(id);
    setStripFocus({ kind: "edge", id: id });
    closeButton();
    add(panel, "h2", relationPhrase(e));
    var dl = add(panel, "dl");
    field(dl, "Relation", r.label + " (" + r.kind + (r.symmetric ? ", both ways" : ", directed") + ")");
    field(dl, "Dates", dates(e));
    field(dl, "Weight", String(e.weight));
    field(dl, "Status", (e.status || ["claimed"]).join(", "));  // left out of the data when claimed alone
    if (e.evidence) field(dl, "Evidence", Object.keys(e.evidence).map(function (k) { return k + ": " + e.evidence[k]; }).join(", "));
    if (e.via) field(dl, "Via", e.via.join("; "));
    if (e.self) add(panel, "p", "Self-reported (dashed): every statement behind this tie comes from " +
                    rawNodes[e.from].name + " or " + rawNodes[e.to].name + ".", "cg-note");
    sourceList(panel, e.src);
    statementList(panel, e.st, "Statements");
    if (e.ev && e.ev.length) {
      add(panel, "h3", "Events (" + (e.evn || e.ev.length) + ")");
      var list = add(panel, "ul", null, "cg-events");
      e.ev.slice(0, MAX_LISTED).forEach(function (i) {
        // The event's id (for an imported event, the dataset's own id) traces the tie to its record;
        // the date only when the label lacks it.
        var ev = events[i], id = ev.iri.slice(ev.iri.lastIndexOf("/") + 1);
        var item = add(list, "li", ev.label + (ev.date && ev.label.indexOf(ev.date) < 0 ? " (" + ev.date + ")" : ""));
        add(item, "span", " " + id, "cg-id");
      });
      if (e.evn > e.ev.length) {
        add(panel, "p", "and " + (e.evn - e.ev.length) + " more; every one is listed by: conflictgraph path \"" +
            rawNodes[e.from].name + "\" \"" + rawNodes[e.to].name + "\" --ties all --format json", "cg-more");
      }
    }
  }
  function showNode(id) {
    var n = rawNodes[id];
    panel.replaceChildren(); panel.dataset.kind = "node"; panel.dataset.id = String(id);
    setStripFocus({ kind: "node", id: id });
    closeButton();
    add(panel, "h2", n.name);
    var dl = add(panel, "dl");
    field(dl, "Type", humanType(n.type) + (n.kind === "operation" ? " (operation)" : ""));
    if (n.aliases.length) field(dl, "Also called", n.aliases.join("; "));
    field(dl, meta.size_by, String(n.score));
    field(dl, "Colour", (groups[n.group] || {}).name);
    field(dl, "Ties", degree[id] + " drawn of " + totalDegree[id] + wholeTies(n));
    field(dl, "IRI", n.iri);
    var ties = edgesOf[id].slice().sort(function (a, b) { return edgeShown[b] - edgeShown[a] || a - b; });
    add(panel, "h3", "Ties (" + ties.length + ")");
    var list = add(panel, "ul", null, "cg-ties");
    ties.slice(0, MAX_LISTED).forEach(function (eid) {
      var e = rawEdges[eid], li = add(list, "li");
      var b = add(li, "button", relationPhrase(e) + " \u00b7 " + dates(e), edgeShown[eid] ? "cg-link" : "cg-link cg-off");
      b.type = "button";
      b.addEventListener("click", function () {
        if (edgeShown[eid]) network.selectEdges([eid]);
        showEdge(eid);
      });
    });
    var seenSrc = {}, srcs = [], seenSt = {}, sts = [];
    edgesOf[id].forEach(function (eid) {
      rawEdges[eid].src.forEach(function (s) { if (!seenSrc[s]) { seenSrc[s] = 1; srcs.push(s); } });
      rawEdges[eid].st.forEach(function (s) { if (!seenSt[s]) { seenSt[s] = 1; sts.push(s); } });
    });
    sourceList(panel, srcs);
    statementList(panel, sts, "Statements behind its ties");
  }
  network.on("click", function (p) {
    hideTip();
    if (p.nodes.length) showNode(p.nodes[0]);
    else if (p.edges.length) showEdge(p.edges[0]);
  });

  // Search ------------------------------------------------------------------------------------
  var names = [];
  rawNodes.forEach(function (n) {
    names.push([norm(n.name), n.id]);
    n.aliases.forEach(function (a) { names.push([norm(a), n.id]); });
  });
  var datalist = $("cg-names");
  if (rawNodes.length <= 5000) {
    var seenName = {};
    rawNodes.forEach(function (n) {
      [n.name].concat(n.aliases).forEach(function (text) {
        if (seenName[text]) return;
        seenName[text] = 1;
        var o = document.createElement("option"); o.value = text; datalist.appendChild(o);
      });
    });
  }
  function find(text) {
    var q = norm(text), i, hits = [];
    if (!q) return [];
    var tests = [function (k) { return k === q; }, function (k) { return k.indexOf(q) === 0; },
                 function (k) { return k.indexOf(q) >= 0; }];
    for (var t = 0; t < tests.length && !hits.length; t++) {
      for (i = 0; i < names.length; i++) {
        if (tests[t](names[i][0]) && hits.indexOf(names[i][1]) < 0) hits.push(names[i][1]);
      }
    }
    return hits.sort(function (a, b) { return rawNodes[b].size - rawNodes[a].size || a - b; });
  }
  var message = $("cg-search-msg");
  function focusNode(id) {
    showNode(id);
    if (!nodeShown(id)) {
      message.textContent = rawNodes[id].name + " has no tie drawn at this date or with these relations.";
      return false;
    }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    return true;
  }
  function search(text) {
    var hits = find(text);
    message.replaceChildren();
    if (!hits.length) { message.textContent = "No node is called \u201c" + text + "\u201d."; return null; }
    if (hits.length > 1) {
      add(message, "span", hits.length + " matches: ");
      hits.slice(0, 8).forEach(function (id) {
        var b = add(message, "button", rawNodes[id].name, "cg-link"); b.type = "button";
        b.addEventListener("click", function () { focusNode(id); });
      });
    }
    focusNode(hits[0]);
    return hits[0];
  }
  $("cg-search-form").addEventListener("submit", function (ev) { ev.preventDefault(); search($("cg-search").value); });

  // Physics ---------------------------------------------------------------------------------
  var physics = $("cg-physics");
  physics.checked = state.physics;
  physics.addEventListener("change", function () {
    state.physics = physics.checked;
    network.setOptions({ physics: { enabled: physics.checked } });
  });

  // Time slider ------------------------------------------------------------------------------
  var DAY = 86400000;
  function toDay(iso) { var p = iso.split("-"); return Math.round(Date.UTC(+p[0], +p[1] - 1, +p[2]) / DAY); }
  function toIso(n) { return new Date(n * DAY).toISOString().slice(0, 10); }
  var slider = $("cg-time"), timeOn = $("cg-time-on"), timeLabel = $("cg-time-label"), spanChoice = $("cg-time-span");
  // The day, month or year holding ``iso``, as [first day, last day] (the CLI's periods).
  function periodOf(iso, span) {
    if (span === "year") return [iso.slice(0, 4) + "-01-01", iso.slice(0, 4) + "-12-31"];
    if (span === "month") {
      var last = new Date(Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7), 0)).toISOString().slice(0, 10);
      return [iso.slice(0, 7) + "-01", last];
    }
    return [iso, iso];
  }
  if (meta.range) {
    var low = toDay(meta.range[0]), high = toDay(meta.range[1]);
    slider.min = String(low); slider.max = String(high); slider.step = "1";
    slider.value = String(meta.as_of ? toDay(meta.as_of) : high);
    var ticks = $("cg-ticks"), seenTick = {};
    rawEdges.forEach(function (e) {
      [e.start, e.end].forEach(function (d) {
        if (d && !seenTick[d] && Object.keys(seenTick).length < 300) {
          seenTick[d] = 1; var o = document.createElement("option"); o.value = String(toDay(d)); ticks.appendChild(o);
        }
      });
    });
    timeOn.checked = !!meta.as_of;
    $("cg-time-range").textContent = meta.range[0] + " \u2013 " + meta.range[1];
  } else {
    timeOn.disabled = true; slider.disabled = true; spanChoice.disabled = true;
    $("cg-time-range").textContent = "No dated ties";
  }
  // Timeline strip: events per month under the slider, for the whole page or the node or tie
  // shown in the panel, with the slider's date marked. Bars sit where their days sit on the slider.
  var strip = $("cg-strip"), stripLabel = $("cg-strip-label"), stripFocus = null, stripMonths = null;
  function focusEvents(focus) {
    if (!focus) return events.map(function (_e, i) { return i; });
    var seen = {}, out = [];
    (focus.kind === "edge" ? [focus.id] : edgesOf[focus.id]).forEach(function (eid) {
      (rawEdges[eid].ev || []).forEach(function (i) { if (!seen[i]) { seen[i] = 1; out.push(i); } });
    });
    return out;
  }
  function countMonths(focus) {
    // Where the page lists only an edge's first events, the page counted all of them per month.
    var whole = !focus ? meta : focus.kind === "edge" ? rawEdges[focus.id] : rawNodes[focus.id];
    var counted = !focus ? meta.event_months : whole.evm, total = !focus ? meta.event_count : whole.evn;
    if (counted) {
      var inMonths = Object.keys(counted).reduce(function (n, m) { return n + counted[m]; }, 0);
      return { counts: counted, total: total, undated: total - inMonths };
    }
    var counts = {}, undated = 0, listed = focusEvents(focus);
    listed.forEach(function (i) {
      var d = events[i].date;
      if (d && /^\d{4}-\d{2}/.test(d)) { var m = d.slice(0, 7); counts[m] = (counts[m] || 0) + 1; } else undated++;
    });
    return { counts: counts, total: listed.length, undated: undated };
  }
  function svgEl(parent, tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    parent.appendChild(e);
    return e;
  }
  function drawStrip() {
    strip.replaceChildren();
    if (!meta.range) { stripLabel.textContent = ""; return; }
    if (!stripMonths) stripMonths = countMonths(stripFocus);
    var low = +slider.min, high = +slider.max, width = 240, height = 44, span = Math.max(1, high - low + 1);
    var svg = svgEl(strip, "svg", { viewBox: "0 0 " + width + " " + height, preserveAspectRatio: "none",
                                    role: "img", "aria-label": "Events per month" });
    var counts = stripMonths.counts, most = 0, mostMonth = null;
    Object.keys(counts).forEach(function (m) { if (counts[m] > most) { most = counts[m]; mostMonth = m; } });
    Object.keys(counts).sort().forEach(function (m) {
      var first = Math.max(low, toDay(m + "-01")), last = Math.min(high, toDay(periodOf(m + "-01", "month")[1]));
      if (last < first) return;
      var x = (first - low) / span * width, w = Math.max(1, (last - first + 1) / span * width);
      var h = Math.max(1, counts[m] / most * (height - 4));
      var bar = svgEl(svg, "rect", { x: x, y: height - h, width: w, height: h, "class": "cg-bar",
                                     "data-month": m, "data-count": counts[m] });
      svgEl(bar, "title", {}).textContent = m + ": " + counts[m] + " event" + (counts[m] === 1 ? "" : "s");
    });
    var at = (+slider.value - low + 0.5) / span * width;
    svgEl(svg, "line", { x1: at, x2: at, y1: 0, y2: height, "class": "cg-mark", "data-day": toIso(+slider.value) });
    var what = !stripFocus ? "the whole page" : stripFocus.kind === "edge" ? relationPhrase(rawEdges[stripFocus.id])
                                                                            : rawNodes[stripFocus.id].name;
    stripLabel.textContent = "Events per month, " + what + ": " + stripMonths.total +
      (mostMonth ? "; most in " + mostMonth + " (" + most + ")" : "") +
      (stripMonths.undated ? "; " + stripMonths.undated + " without a month" : "");
  }
  function setStripFocus(focus) { stripFocus = focus; stripMonths = null; drawStrip(); }
  function syncTime() {
    state.date = timeOn.checked && meta.range ? toIso(+slider.value) : null;
    state.span = spanChoice.value;
    state.window = state.date ? periodOf(state.date, state.span) : null;
    var shown = meta.range ? toIso(+slider.value) : "all dates";
    if (meta.range && state.span !== "day") shown = shown.slice(0, state.span === "year" ? 4 : 7) + " (whole " + state.span + ")";
    timeLabel.textContent = shown + (meta.range && !state.date ? " (off: every tie is drawn)" : "");
    drawStrip();
    refresh();
  }
  slider.addEventListener("input", function () { timeOn.checked = true; syncTime(); });
  timeOn.addEventListener("change", syncTime);
  spanChoice.addEventListener("change", function () { if (meta.range) timeOn.checked = true; syncTime(); });
  function setDate(iso, span) {
    if (!meta.range) return;
    if (span) spanChoice.value = span;
    if (iso) {
      var d = Math.min(+slider.max, Math.max(+slider.min, toDay(iso)));
      slider.value = String(d); timeOn.checked = true;
    } else {
      timeOn.checked = false;
    }
    syncTime();
  }

  // Legend and relation filters -----------------------------------------------------------------
  function swatch(r) {
    var s = document.createElementNS(SVG, "svg");
    s.setAttribute("width", "40"); s.setAttribute("height", "12"); s.setAttribute("aria-hidden", "true");
    var line = document.createElementNS(SVG, "line");
    line.setAttribute("x1", "2"); line.setAttribute("y1", "6"); line.setAttribute("x2", "34"); line.setAttribute("y2", "6");
    line.setAttribute("stroke", r.colour); line.setAttribute("stroke-width", "2.5");
    s.appendChild(line);
    if (r.sign < 0) {
      var bar = document.createElementNS(SVG, "line");
      bar.setAttribute("x1", "18"); bar.setAttribute("y1", "1"); bar.setAttribute("x2", "18"); bar.setAttribute("y2", "11");
      bar.setAttribute("stroke", r.colour); bar.setAttribute("stroke-width", "3"); s.appendChild(bar);
    } else if (r.sign === 0) {
      var dot = document.createElementNS(SVG, "circle");
      dot.setAttribute("cx", "18"); dot.setAttribute("cy", "6"); dot.setAttribute("r", "3.5");
      dot.setAttribute("fill", r.colour); s.appendChild(dot);
    }
    if (!r.symmetric) {
      var head = document.createElementNS(SVG, "polygon");
      head.setAttribute("points", "31,1 39,6 31,11"); head.setAttribute("fill", r.colour); s.appendChild(head);
    }
    return s;
  }
  var relBox = $("cg-relations");
  relations.forEach(function (r, i) {
    var label = add(relBox, "label", null, "cg-rel");
    var box = document.createElement("input");
    box.type = "checkbox"; box.checked = true; box.dataset.relation = r.name;
    box.addEventListener("change", function () { state.relations[i] = box.checked; refresh(); });
    label.appendChild(box);
    label.appendChild(swatch(r));
    add(label, "span", r.label + " (" + r.count + ")");
  });
  function setRelation(name, on) {
    relations.forEach(function (r, i) {
      if (r.name === name) {
        state.relations[i] = !!on;
        relBox.querySelectorAll("input")[i].checked = !!on;
      }
    });
    refresh();
  }
  $("cg-rel-all").addEventListener("click", function () {
    relBox.querySelectorAll("input").forEach(function (b, i) { b.checked = true; state.relations[i] = true; });
    refresh();
  });
  $("cg-rel-none").addEventListener("click", function () {
    relBox.querySelectorAll("input").forEach(function (b, i) { b.checked = false; state.relations[i] = false; });
    refresh();
  });
  var groupBox = $("cg-groups");
  var used = {};
  rawNodes.forEach(function (n) { used[n.group] = (used[n.group] || 0) + 1; });
  groups.forEach(function (g, i) {
    if (!used[i]) return;
    var row = add(groupBox, "div", null, "cg-group");
    var dot = add(row, "span", null, "cg-dot"); dot.style.background = g.colour;
    add(row, "span", g.name);
  });
  var shapes = {};
  rawNodes.forEach(function (n) { shapes[n.shape] = true; });
  var shapeText = { dot: "\u25cf actor", hexagon: "\u2b22 alliance", diamond: "\u25c6 operation" };
  $("cg-shapes").textContent = Object.keys(shapeText).filter(function (s) { return shapes[s]; })
    .map(function (s) { return shapeText[s]; }).join(" \u00b7 ") + " \u00b7 size: " + meta.size_by;

  // Start -------------------------------------------------------------------------------------
  if (meta.as_of && meta.range) setDate(meta.as_of, meta.as_of_span || "day"); else syncTime();
  hint();
  page.search = search;
  page.focusNode = focusNode;
  page.showNode = showNode;
  page.showEdge = showEdge;
  page.setDate = setDate;
  page.setRelation = setRelation;
  page.tooltipLines = tooltipLines;
  page.showTip = showTip;
  page.shownEdgeIds = function () { var out = []; for (var i = 0; i < rawEdges.length; i++) if (edgeShown[i]) out.push(i); return out; };
  page.shownNodeIds = function () { var out = []; for (var i = 0; i < rawNodes.length; i++) if (nodeShown(i)) out.push(i); return out; };
})();
