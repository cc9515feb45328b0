/**
 * The viewer's browser script, served as `/ui/app.js`: plain JavaScript, no framework, no build
 * step. Every piece of data reaches the page through `textContent` and `setAttribute`, never as
 * markup. (Written without template literals so that it can live in this `String.raw` string.)
 */
export const viewerScript = String.raw`"use strict";
(() => {
  const root = document.getElementById("app");
  const graphs = JSON.parse(root.dataset.graphs || "[]"); // the served graphs' shapes
  const graphIds = graphs.map((graph) => graph.id);
  const SVG = "http://www.w3.org/2000/svg";
  let cleanup = () => {};

  // ---- small helpers -------------------------------------------------------------------------

  /** An element with attributes (text: textContent, class: className) and children (strings become text). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    setAttrs(node, attrs);
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }
  function svgEl(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    setAttrs(node, attrs);
    return node;
  }
  function setAttrs(node, attrs) {
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "text") node.textContent = String(value);
      else if (name === "class") node.setAttribute("class", value);
      else if (name === "testid") node.setAttribute("data-testid", value);
      else node.setAttribute(name, String(value));
    }
  }
  function ms(value) {
    if (value === null || value === undefined) return "";
    return value < 1000 ? Math.round(value) + " ms" : (value / 1000).toFixed(2) + " s";
  }
  function tokensText(tokens) {
    if (!tokens || (!tokens.input && !tokens.output)) return "";
    return (tokens.input || 0) + " → " + (tokens.output || 0) + " tok";
  }
  function textOf(value) {
    if (value === null || value === undefined) return "";
    return typeof value === "string" ? value : JSON.stringify(value, null, 2);
  }
  function badge(text, testid) {
    return el("span", { class: "badge " + text, testid, text });
  }
  function link(path, text) {
    return el("a", { href: path, "data-nav": "", text });
  }

  async function api(path, init) {
    const response = await fetch(path, Object.assign({ credentials: "same-origin" }, init));
    if (response.status === 401) {
      location.assign("/ui/login");
      throw new Error("sign in first");
    }
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const error = body && body.error;
      throw new Error((error && (error.message || error)) || "HTTP " + response.status);
    }
    return body;
  }

  // ---- routing -------------------------------------------------------------------------------

  function render() {
    cleanup();
    cleanup = () => {};
    root.replaceChildren();
    const match = location.pathname.match(/^\/ui\/runs\/([^/]+)$/);
    if (match) runPage(decodeURIComponent(match[1]));
    else listPage();
  }
  function go(path) {
    history.pushState(null, "", path);
    render();
  }
  window.addEventListener("popstate", render);
  document.addEventListener("click", (event) => {
    const anchor = event.target.closest && event.target.closest("a[data-nav]");
    if (!anchor || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    go(anchor.getAttribute("href"));
  });

  function header(...extra) {
    return el("header", {}, el("h1", {}, link("/ui/", "TinyLLM runs")), ...extra);
  }

  // ---- runs list -----------------------------------------------------------------------------

  function listPage() {
    document.title = "TinyLLM runs";
    const problem = el("p", { class: "error", role: "alert" });
    const graph = el("select", { name: "graph", "aria-label": "graph" }, ...graphIds.map((id) => el("option", { value: id, text: id })));
    const input = el("textarea", { name: "input", "aria-label": "input", placeholder: "Ask something…", required: "" });
    const submit = el("button", { type: "submit", text: "Run" });
    const form = el("form", { testid: "start-form" }, graph, input, submit);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      submit.disabled = true;
      problem.textContent = "";
      try {
        const started = await api("/v1/runs", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ graph: graph.value, input: input.value }),
        });
        go("/ui/runs/" + encodeURIComponent(started.id));
      } catch (error) {
        problem.textContent = "Could not start the run: " + error.message;
        submit.disabled = false;
      }
    });

    const columns = ["Started", "Graph", "Input", "Route", "Verdict", "Status", "Duration", "Tokens"];
    const body = el("tbody");
    const table = el("table", { testid: "runs-table" }, el("thead", {}, el("tr", {}, ...columns.map((name) => el("th", { text: name })))), body);
    root.append(header(), el("main", {}, el("section", {}, el("h2", { text: "Start a run" }), form, problem), el("section", {}, el("h2", { text: "Recent runs" }), table)));

    let timer;
    let stopped = false;
    cleanup = () => {
      stopped = true;
      clearTimeout(timer);
    };
    const load = async () => {
      try {
        const { data } = await api("/v1/runs?limit=50");
        if (stopped) return;
        body.replaceChildren(...data.map(runRow));
        if (data.length === 0) body.append(el("tr", {}, el("td", { colspan: columns.length, class: "muted", text: "No runs yet." })));
        table.setAttribute("data-loaded", "true");
        problem.textContent = "";
      } catch (error) {
        if (!stopped) problem.textContent = "Could not load the runs: " + error.message;
      }
      if (!stopped) timer = setTimeout(load, 2000);
    };
    load();
  }

  function runRow(run) {
    return el(
      "tr",
      { testid: "run-row", "data-run-id": run.id },
      el("td", {}, link("/ui/runs/" + encodeURIComponent(run.id), new Date(run.startedAt).toLocaleString())),
      el("td", { text: run.graph }),
      el("td", { class: "muted", text: run.input.length > 60 ? run.input.slice(0, 60) + "…" : run.input }),
      el("td", { text: run.route || "" }),
      el("td", {}, run.verdict ? badge(run.verdict) : ""),
      el("td", {}, badge(run.status)),
      el("td", { class: "num", text: ms(run.durationMs) }),
      el("td", { class: "num", text: tokensText(run.tokens) }),
    );
  }

  // ---- run page ------------------------------------------------------------------------------

  function runPage(id) {
    document.title = "TinyLLM run " + id;
    const status = badge("loading", "run-status");
    const meta = el("div", { class: "meta" });
    const problem = el("p", { class: "error", role: "alert" });
    const routeBox = el("div", {}, el("p", { class: "muted", text: "No route decision yet." }));
    const graphBox = el("div");
    const waterfall = el("div", { class: "wf", testid: "waterfall" });
    const verdictBox = el("div", {}, el("p", { class: "muted", text: "No verdicts yet." }));
    const output = el("pre", { testid: "output" });
    const section = (title, ...content) => el("section", {}, el("h2", { text: title }), ...content);
    root.append(
      header(el("span", { class: "muted", text: id }), status),
      el("main", {}, meta, problem, section("Waterfall", waterfall), section("Route", routeBox), section("Graph", graphBox), section("Verdicts", verdictBox), section("Output", output)),
    );

    let stopped = false;
    let source;
    cleanup = () => {
      stopped = true;
      if (source) source.close();
    };
    let shape = null; // the graph's nodes and edges
    let visited = []; // node ids in the order they started

    const setStatus = (text) => {
      status.textContent = text;
      status.setAttribute("class", "badge " + text);
    };
    const drawGraph = () => {
      if (shape) graphBox.replaceChildren(graphSvg(shape, visited));
    };
    const showMeta = (run) => {
      meta.replaceChildren(
        el("span", {}, "graph ", el("strong", { text: run.graph })),
        el("span", { text: "started " + new Date(run.startedAt).toLocaleString() }),
        el("span", { text: run.durationMs === null || run.durationMs === undefined ? "" : "took " + ms(run.durationMs) }),
        el("span", { class: "muted", text: "input: " + textOf(run.input) }),
      );
    };
    const showFinal = (run) => {
      setStatus(run.status);
      showMeta(run);
      if (run.route) routeBox.replaceChildren(routeView(run.route));
      showVerdicts(verdictBox, run.verdicts || []);
      output.textContent = textOf(run.output);
      if (run.error) problem.textContent = textOf(run.error.message || run.error);
      const spans = (run.trace && run.trace.spans) || [];
      renderWaterfall(waterfall, spans);
      visited = spans
        .filter((span) => span.kind === "node")
        .sort((a, b) => a.startMs - b.startMs)
        .map((span) => span.name);
      drawGraph();
    };
    const fail = (error) => {
      if (!stopped) problem.textContent = error.message;
    };

    const finish = async () => {
      if (source) source.close();
      try {
        for (let tries = 0; ; tries++) {
          const run = await api("/v1/runs/" + encodeURIComponent(id));
          if (stopped) return;
          if (run.status !== "running" || tries >= 20) return showFinal(run);
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      } catch (error) {
        fail(error);
      }
    };

    const follow = () => {
      // Live state, rebuilt from the events (the stream replays them from the first).
      const spans = new Map();
      const verdicts = [];
      let runStart = 0;
      let lastTime = 0;
      let streamingSpan = null;
      const currentSpan = new Map(); // node id -> span id of its latest start
      let ended = false;
      const redraw = () =>
        renderWaterfall(
          waterfall,
          [...spans.values()].map((span) => Object.assign({}, span, { endMs: span.endMs === undefined ? lastTime : span.endMs })),
        );
      source = new EventSource("/v1/runs/" + encodeURIComponent(id) + "/events");
      source.onmessage = (message) => {
        if (stopped) return;
        const event = JSON.parse(message.data);
        if (typeof event.timeMs === "number") lastTime = Math.max(lastTime, event.timeMs);
        if (event.type === "run-start") {
          runStart = event.timeMs;
          spans.set("run", { id: "run", kind: "run", name: event.graphId, startMs: runStart, status: "running" });
        } else if (event.type === "node-start") {
          spans.set(event.spanId, { id: event.spanId, parentId: "run", kind: "node", name: event.nodeId, nodeKind: event.kind, startMs: event.timeMs, status: "running" });
          currentSpan.set(event.nodeId, event.spanId);
          visited.push(event.nodeId);
          drawGraph();
        } else if (event.type === "node-end") {
          const span = spans.get(event.spanId);
          if (span) Object.assign(span, { endMs: event.timeMs, durationMs: event.durationMs, status: event.status });
        } else if (event.type === "token-delta") {
          const spanId = currentSpan.get(event.nodeId) || event.nodeId;
          if (streamingSpan !== spanId) output.textContent = ""; // a new answer (e.g. a retry) replaces the last
          streamingSpan = spanId;
          output.append(event.text);
        } else if (event.type === "node-info" && event.name === "route") {
          routeBox.replaceChildren(routeView(event.data));
        } else if (event.type === "node-info" && event.name === "verdict") {
          verdicts.push(Object.assign({ nodeId: event.nodeId }, event.data));
          showVerdicts(verdictBox, verdicts);
        }
        redraw();
      };
      // The stream closes with "event: end" once the run's result is in: then read the final run.
      source.addEventListener("end", () => {
        ended = true;
        finish();
      });
      source.onerror = () => {
        // EventSource reconnects by itself (sending Last-Event-ID); once closed, it gave up.
        if (!ended && source.readyState === EventSource.CLOSED) finish();
      };
    };

    (async () => {
      try {
        const run = await api("/v1/runs/" + encodeURIComponent(id));
        if (stopped) return;
        showMeta(run);
        shape = graphs.find((graph) => graph.id === run.graph) || null;
        drawGraph();
        if (!shape) graphBox.replaceChildren(el("p", { class: "muted", text: "This server does not serve the graph '" + run.graph + "' now." }));
        if (run.status === "running") {
          setStatus("running");
          follow();
        } else showFinal(run);
      } catch (error) {
        setStatus("unknown");
        fail(error);
      }
    })();
  }

  // ---- run page parts ------------------------------------------------------------------------

  /** One row per span, indented by depth, with a bar placed by its start and duration. */
  function renderWaterfall(box, spans) {
    const children = new Map();
    const ids = new Set(spans.map((span) => span.id));
    for (const span of spans) {
      const parent = span.parentId && ids.has(span.parentId) ? span.parentId : "";
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(span);
    }
    const start = Math.min(...spans.map((span) => span.startMs));
    const end = Math.max(...spans.map((span) => (span.endMs === undefined ? span.startMs : span.endMs)));
    const total = Math.max(end - start, 1);
    const rows = [];
    const walk = (parent, depth) => {
      for (const span of (children.get(parent) || []).sort((a, b) => a.startMs - b.startMs)) {
        rows.push(waterfallRow(span, depth, start, total));
        walk(span.id, depth + 1);
      }
    };
    walk("", 0);
    box.replaceChildren(...rows);
  }

  function waterfallRow(span, depth, start, total) {
    const endMs = span.endMs === undefined ? span.startMs : span.endMs;
    const duration = span.durationMs === undefined || span.durationMs === null ? endMs - span.startMs : span.durationMs;
    const bar = el("div", { class: "bar " + span.kind + " " + span.status });
    bar.style.left = ((100 * (span.startMs - start)) / total).toFixed(3) + "%";
    bar.style.width = ((100 * Math.max(duration, 0)) / total).toFixed(3) + "%";
    const kind = span.nodeKind || (span.attributes && span.attributes.kind) || span.kind;
    const shortName = span.name.includes("/") ? span.name.slice(span.name.lastIndexOf("/") + 1) : span.name; // a model file's path
    const label = el("div", { class: "label", title: span.name + " (" + kind + ")" }, el("span", { text: shortName }), " ", el("span", { class: "muted", text: kind }));
    label.style.paddingLeft = depth * 1.1 + "rem";
    const timing = [ms(duration), tokensText(span.tokens), span.status === "ok" ? "" : span.status].filter(Boolean).join(" · ");
    const row = el("div", { class: "wf-row", testid: "waterfall-row", "data-span": span.id }, label, el("div", { class: "track" }, bar), el("div", { class: "timing", text: timing }));
    if (span.error) row.append(el("div", { class: "error", text: textOf(span.error.message || span.error) }));
    return row;
  }

  function routeView(route) {
    const confidences = Object.entries(route.confidences || {}).sort((a, b) => b[1] - a[1]);
    return el(
      "div",
      { testid: "route" },
      el("p", {}, "route ", el("strong", { text: route.route }), route.labels && route.labels.length > 1 ? " (" + route.labels.join(" + ") + ")" : "", el("span", { class: "muted", text: " · decided by " + (route.decidedBy || "?") })),
      el(
        "div",
        { class: "conf" },
        ...confidences.flatMap(([label, value]) => {
          const fill = el("div", { class: "fill" });
          fill.style.width = Math.round(Math.max(0, Math.min(1, value)) * 100) + "%";
          return [el("span", { text: label }), el("div", { class: "track" }, fill), el("span", { class: "muted", text: Number(value).toFixed(2) })];
        }),
      ),
    );
  }

  function showVerdicts(box, verdicts) {
    if (verdicts.length === 0) return;
    box.replaceChildren(
      ...verdicts.map((verdict) => {
        const result = verdict.pass === null || verdict.pass === undefined ? "undecided" : verdict.pass ? "pass" : "fail";
        const facts = ["attempt " + verdict.attempt, verdict.score === undefined || verdict.score === null ? "" : "score " + Number(verdict.score).toFixed(2), verdict.decidedBy ? "by " + verdict.decidedBy : "", verdict.action ? "→ " + verdict.action : ""];
        return el(
          "div",
          { class: "verdict", testid: "verdict" },
          el("div", {}, el("strong", { text: verdict.nodeId }), " ", badge(result), " ", el("span", { class: "muted", text: facts.filter(Boolean).join(" · ") })),
          el("div", {}, ...checksOf(verdict.checks).map(([name, outcome]) => el("span", { class: "chip " + outcome, text: name + (outcome ? ": " + outcome : "") }))),
          verdict.feedback ? el("div", {}, el("span", { class: "muted", text: "feedback: " }), el("span", { text: textOf(verdict.feedback) })) : null,
        );
      }),
    );
  }

  /** Checks as [name, outcome] pairs, whether they come as "a:pass b:fail", a list or a map. */
  function checksOf(checks) {
    const split = (text) => {
      const at = text.lastIndexOf(":");
      return at > 0 ? [text.slice(0, at), text.slice(at + 1)] : [text, ""];
    };
    if (typeof checks === "string") return checks.split(/\s+/).filter(Boolean).map(split);
    if (Array.isArray(checks))
      return checks.map((check) =>
        typeof check === "string" ? split(check) : [check.name || check.id || textOf(check), check.pass === undefined ? "" : check.pass ? "pass" : "fail"],
      );
    if (checks && typeof checks === "object") return Object.entries(checks).map(([name, value]) => [name, value === true ? "pass" : value === false ? "fail" : textOf(value)]);
    return [];
  }

  /** The graph in layers by BFS depth from the entry; the path the run took is highlighted. */
  function graphSvg(shape, visited) {
    const depth = new Map([[shape.entry, 0]]);
    const queue = [shape.entry];
    while (queue.length > 0) {
      const from = queue.shift();
      for (const edge of shape.edges)
        if (edge.from === from && !depth.has(edge.to)) {
          depth.set(edge.to, depth.get(from) + 1);
          queue.push(edge.to);
        }
    }
    const deepest = Math.max(0, ...depth.values());
    for (const node of shape.nodes) if (!depth.has(node.id)) depth.set(node.id, deepest + 1);
    const layers = [];
    for (const node of shape.nodes) (layers[depth.get(node.id)] = layers[depth.get(node.id)] || []).push(node);
    const W = 120, H = 40, GX = 60, GY = 24, PAD = 20;
    const tallest = Math.max(...layers.map((layer) => (layer ? layer.length : 0)));
    const height = PAD * 2 + tallest * H + (tallest - 1) * GY + 30;
    const width = PAD * 2 + layers.length * W + (layers.length - 1) * GX;
    const place = new Map();
    layers.forEach((layer, column) => {
      (layer || []).forEach((node, row) => {
        const top = PAD + ((tallest - layer.length) * (H + GY)) / 2 + row * (H + GY);
        place.set(node.id, { x: PAD + column * (W + GX), y: top });
      });
    });
    const seen = new Set(visited);
    const taken = new Set();
    for (let i = 1; i < visited.length; i++) taken.add(visited[i - 1] + "\u0000" + visited[i]);

    const svg = svgEl("svg", { class: "graph", testid: "graph-svg", viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": "graph " + shape.id });
    const defs = svgEl("defs");
    for (const [name, color] of [["arrow", "#c3c8d2"], ["arrow-taken", "#2563eb"]]) {
      const marker = svgEl("marker", { id: name, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse" });
      marker.append(svgEl("path", { d: "M0,0 L10,5 L0,10 z", fill: color }));
      defs.append(marker);
    }
    svg.append(defs);
    const edges = [...shape.edges].sort((a, b) => Number(taken.has(a.from + "\u0000" + a.to)) - Number(taken.has(b.from + "\u0000" + b.to)));
    for (const edge of edges) {
      const a = place.get(edge.from);
      const b = place.get(edge.to);
      if (!a || !b) continue;
      let d;
      if (b.x > a.x) d = "M" + (a.x + W) + "," + (a.y + H / 2) + " C" + (a.x + W + GX / 2) + "," + (a.y + H / 2) + " " + (b.x - GX / 2) + "," + (b.y + H / 2) + " " + b.x + "," + (b.y + H / 2);
      else {
        // A back edge (a retry): under the nodes, from the bottom of one to the bottom of the other.
        const low = Math.max(a.y, b.y) + H + 18;
        d = "M" + (a.x + W / 2) + "," + (a.y + H) + " C" + (a.x + W / 2) + "," + low + " " + (b.x + W / 2) + "," + low + " " + (b.x + W / 2) + "," + (b.y + H);
      }
      const isTaken = taken.has(edge.from + "\u0000" + edge.to);
      const path = svgEl("path", { class: "edge" + (isTaken ? " taken" : ""), d, "marker-end": "url(#" + (isTaken ? "arrow-taken" : "arrow") + ")", "data-edge": edge.from + "->" + edge.to });
      if (edge.conditional) path.setAttribute("stroke-dasharray", "5 4");
      path.append(svgEl("title", { text: edge.from + " → " + edge.to + (edge.on && edge.on !== "success" ? " (" + edge.on + ")" : "") }));
      svg.append(path);
    }
    for (const node of shape.nodes) {
      const at = place.get(node.id);
      const group = svgEl("g", { class: seen.has(node.id) ? "node visited" : "node", "data-node": node.id, "data-visited": seen.has(node.id) ? "true" : null });
      group.append(
        svgEl("title", { text: node.id + " (" + node.kind + ")" + (node.description ? ": " + node.description : "") }),
        svgEl("rect", { x: at.x, y: at.y, width: W, height: H, rx: 6 }),
        svgEl("text", { x: at.x + 8, y: at.y + 17, text: node.id.length > 16 ? node.id.slice(0, 15) + "…" : node.id }),
        svgEl("text", { class: "kind", x: at.x + 8, y: at.y + 32, text: node.kind }),
      );
      svg.append(group);
    }
    return svg;
  }

  render();
})();
`;
