// Dateline's page: plain JS and SVG, no library. Article text is untrusted, so every
// piece of data reaches the DOM through textContent / createElement / setAttribute,
// never parsed as markup, and only http(s) URLs ever become links.
"use strict";

(function () {
  const SVG_NS = "http://www.w3.org/2000/svg";
  const PARAMS = ["query", "from", "to", "dates", "sentences", "method"];
  const PANEL_KEYS = ["article", "sentence", "day", "search"];
  const DAY_MS = 86400000;
  const FORMAT_LABELS = {
    json: ["JSON", "json"], markdown: ["Markdown", "md"], tilse: ["TILSE text", "txt"],
    newstls: ["news-tls", "jsonl"], timelinejs: ["TimelineJS JSON", "json"],
    "timelinejs-csv": ["TimelineJS sheet (CSV)", "csv"], html: ["Printable page", "html"],
  };
  const $ = (id) => document.getElementById(id);
  const state = { corpus: null, timeline: null, domain: null, view: null, pendingView: null, selected: null, request: 0 };
  const VIEW_KEY = "view"; // the axis's zoom and pan, "YYYY-MM-DD..YYYY-MM-DD", kept in the URL

  // ---- DOM helpers (text only) ----
  function append(node, children) {
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
    }
    return node;
  }
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined) continue;
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    return append(node, children);
  }
  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, String(value));
    }
    if (text !== undefined) node.textContent = String(text);
    return node;
  }
  function safeHref(url) {
    if (typeof url !== "string") return null;
    const trimmed = url.trim();
    return /^https?:\/\//i.test(trimmed) ? trimmed : null;
  }
  function plural(n, word) { return `${n} ${word}${n === 1 ? "" : "s"}`; }

  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    if (!response.ok || !body || body.ok === false) {
      throw new Error(body && body.error ? body.error : `HTTP ${response.status}`);
    }
    return body;
  }

  function setStatus(text, isError) {
    const status = $("status");
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
  }

  // ---- dates ----
  function parseDay(label) {
    // "2011-03-02", "2011-03" or "2011" -> UTC ms of its first day
    const parts = label.split("-").map(Number);
    return Date.UTC(parts[0], (parts[1] || 1) - 1, parts[2] || 1);
  }
  function isoDay(ms) { return new Date(ms).toISOString().slice(0, 10); }
  function periodEnd(entry) {
    const d = new Date(parseDay(entry.date));
    if (entry.precision === "year") return Date.UTC(d.getUTCFullYear() + 1, 0, 1);
    if (entry.precision === "month") return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    return d.getTime() + DAY_MS;
  }
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function tickLabel(ms, unit) {
    const d = new Date(ms);
    if (unit === "year") return String(d.getUTCFullYear());
    if (unit === "month") return `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
    return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
  }
  // Ticks at whole days, weeks, months or years, about one per 90 pixels.
  function ticks(lo, hi, width) {
    const span = hi - lo;
    const want = Math.max(2, Math.floor(width / 90));
    const steps = [[1, "day"], [2, "day"], [7, "day"], [14, "day"], [1, "month"], [2, "month"], [3, "month"], [6, "month"], [1, "year"], [2, "year"], [5, "year"], [10, "year"], [25, "year"], [50, "year"], [100, "year"]];
    let chosen = steps[steps.length - 1];
    for (const step of steps) {
      const size = step[1] === "day" ? step[0] * DAY_MS : step[1] === "month" ? step[0] * 30.44 * DAY_MS : step[0] * 365.25 * DAY_MS;
      if (span / size <= want) { chosen = step; break; }
    }
    const [n, unit] = chosen;
    const out = [];
    const start = new Date(lo);
    let t;
    if (unit === "day") t = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
    else if (unit === "month") t = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() - (start.getUTCMonth() % n), 1);
    else t = Date.UTC(start.getUTCFullYear() - (start.getUTCFullYear() % n), 0, 1);
    for (let guard = 0; t <= hi && guard < 500; guard++) {
      if (t >= lo) out.push(t);
      const d = new Date(t);
      if (unit === "day") t += n * DAY_MS;
      else if (unit === "month") t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1);
      else t = Date.UTC(d.getUTCFullYear() + n, 0, 1);
    }
    return { values: out, unit: unit === "day" ? "day" : unit };
  }

  // ---- URL state ----
  function readURL() {
    const search = new URLSearchParams(location.search);
    const params = {};
    for (const key of PARAMS) params[key] = search.get(key) || "";
    const panel = {};
    for (const key of PANEL_KEYS) if (search.get(key)) panel[key] = search.get(key);
    return { params, panel, view: search.get(VIEW_KEY) || "" };
  }
  function paramsQS(params) {
    const qs = new URLSearchParams();
    for (const key of PARAMS) if (params[key]) qs.set(key, params[key]);
    return qs;
  }
  function writeURL(params, panel, push, keepView = true) {
    const qs = paramsQS(params);
    for (const key of PANEL_KEYS) if (panel && panel[key] !== undefined && panel[key] !== "") qs.set(key, panel[key]);
    const view = new URLSearchParams(location.search).get(VIEW_KEY);
    if (keepView && view) qs.set(VIEW_KEY, view);
    const url = `${location.pathname}${qs.toString() ? "?" + qs : ""}`;
    if (url === `${location.pathname}${location.search}`) return;
    if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
  }
  function formParams() {
    const params = {};
    for (const key of PARAMS) params[key] = ($(`f-${key}`).value || "").trim();
    if (params.method === "datewise") params.method = ""; // the default stays out of the URL
    return params;
  }
  function fillForm(params) {
    for (const key of PARAMS) $(`f-${key}`).value = params[key] || (key === "method" ? "datewise" : "");
  }

  // ---- overview: counts, histogram, top dates ----
  function renderOverview(corpus) {
    document.title = `${corpus.title} · Dateline`;
    $("title").textContent = corpus.title;
    const range = corpus.first_published ? `, published ${corpus.first_published} to ${corpus.last_published}` : "";
    const sources = corpus.sources ? ` from ${plural(corpus.sources, "source")}` : "";
    $("summary").textContent = `${plural(corpus.articles, "article")}${sources}${range}`;
    renderHistogram(corpus);
    const list = $("top-dates-list");
    list.replaceChildren();
    for (const [day, n] of corpus.top_dates) {
      list.append(el("li", {}, el("button", { type: "button", title: `${plural(n, "article")} mention ${day}`, onclick: () => openDay(day, true) }, `${day} · ${n}`)));
    }
    const select = $("f-method");
    select.replaceChildren(...corpus.methods.map((m) => el("option", { value: m }, m)));
  }

  function renderHistogram(corpus) {
    const box = $("histogram");
    box.replaceChildren();
    if (!corpus.published_by_day.length) { box.append(el("p", { class: "muted" }, "No articles.")); return; }
    const first = parseDay(corpus.first_published), last = parseDay(corpus.last_published);
    // Mentions are drawn over the publication period widened by a tenth on each side:
    // far-off background dates would squash the news period to a sliver.
    const pad = Math.max(7 * DAY_MS, (last - first) * 0.1);
    const lo = first - pad, hi = last + pad + DAY_MS;
    const spanDays = (hi - lo) / DAY_MS;
    const unit = spanDays <= 120 ? "day" : spanDays <= 1100 ? "week" : "month";
    const binOf = (ms) => {
      if (unit === "day") return ms;
      if (unit === "week") return lo + Math.floor((ms - lo) / (7 * DAY_MS)) * 7 * DAY_MS;
      const d = new Date(ms);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    };
    const binEnd = (start) => unit === "day" ? start + DAY_MS : unit === "week" ? start + 7 * DAY_MS : Date.UTC(new Date(start).getUTCFullYear(), new Date(start).getUTCMonth() + 1, 1);
    function bins(series) {
      const counts = new Map();
      let outside = 0;
      for (const [day, n] of series) {
        const ms = parseDay(day);
        if (ms < lo || ms >= hi) { outside += n; continue; }
        const b = binOf(ms);
        counts.set(b, (counts.get(b) || 0) + n);
      }
      return { counts, outside };
    }
    const pub = bins(corpus.published_by_day), ment = bins(corpus.mentions_by_day);
    const W = Math.max(480, box.clientWidth || 900), left = 44, right = 12, rowH = 80, gap = 34, top = 18;
    const H = top + rowH * 2 + gap + 30;
    const x = (ms) => left + ((ms - lo) / (hi - lo)) * (W - left - right);
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "Articles published and dates mentioned over time" });
    const unitName = unit === "day" ? "day" : unit;
    function row(data, y0, cls, title, noun) {
      const max = Math.max(1, ...data.counts.values());
      root.append(svg("text", { x: left, y: y0 - 5, class: "title" }, `${title} per ${unitName}`));
      root.append(svg("text", { x: left - 6, y: y0 + 9, "text-anchor": "end" }, max));
      root.append(svg("text", { x: left - 6, y: y0 + rowH, "text-anchor": "end" }, 0));
      root.append(svg("line", { x1: left, x2: W - right, y1: y0 + rowH, y2: y0 + rowH, stroke: "#d6dbe0" }));
      for (const [start, n] of data.counts) {
        const x0 = x(start), x1 = x(binEnd(start));
        const h = (n / max) * rowH;
        const bar = svg("rect", { x: x0.toFixed(1), y: (y0 + rowH - h).toFixed(1), width: Math.max(1, x1 - x0 - 0.5).toFixed(1), height: h.toFixed(1), class: cls });
        bar.append(svg("title", {}, `${isoDay(start)}${unit === "day" ? "" : " – " + isoDay(binEnd(start) - DAY_MS)}: ${plural(n, noun)}`));
        root.append(bar);
      }
      if (data.outside) root.append(svg("text", { x: W - right, y: y0 - 5, "text-anchor": "end" }, `+ ${data.outside} outside this range`));
    }
    row(pub, top, "bar-pub", "Articles published", "article");
    row(ment, top + rowH + gap, "bar-ment", "Dates mentioned", "mention");
    const axisY = top + rowH * 2 + gap;
    const t = ticks(lo, hi, W - left - right);
    for (const v of t.values) {
      root.append(svg("line", { x1: x(v), x2: x(v), y1: axisY, y2: axisY + 4, stroke: "#5d6670" }));
      root.append(svg("text", { x: x(v), y: axisY + 16, "text-anchor": "middle" }, tickLabel(v, t.unit)));
    }
    box.append(root);
  }

  // ---- timeline ----
  async function loadTimeline(params) {
    const request = ++state.request;
    setStatus("Building the timeline…");
    document.body.dataset.timeline = "loading";
    updateExports(params);
    let body;
    try {
      body = await getJSON(`/api/timeline?${paramsQS(params)}`);
    } catch (error) {
      if (request !== state.request) return;
      setStatus(`Could not build the timeline: ${error.message}`, true);
      document.body.dataset.timeline = "error";
      return;
    }
    if (request !== state.request) return; // a newer request superseded this one
    state.timeline = body.timeline;
    state.selected = null;
    const meta = body.timeline.meta;
    const entries = body.timeline.entries;
    const matching = meta.query ? `, ${meta.articles_matching_query} of ${meta.articles} articles match the query` : ` from ${plural(meta.articles, "article")}`;
    setStatus(`${plural(entries.length, "date")}${matching}`);
    renderEntries(entries);
    fitAxis(Boolean(state.pendingView));
    document.body.dataset.timeline = "ready";
    performance.mark("dateline:timeline-rendered");
  }

  function citation(ref) {
    const parts = [];
    if (ref.source) parts.push(ref.source);
    parts.push(ref.title || ref.article_name || ref.article_id);
    parts.push(`published ${ref.published}`);
    return parts.join(" · ");
  }
  function sentenceButton(ref) {
    return el("button", {
      type: "button", class: "sentence", "data-article": ref.article_id, "data-index": ref.sentence_index,
      onclick: () => openArticle(ref.article_id, ref.sentence_index, true),
    }, el("span", { class: "text" }, ref.text), el("span", { class: "cite" }, citation(ref)));
  }

  function renderEntries(entries) {
    const list = $("entries");
    list.replaceChildren();
    if (!entries.length) { list.append(el("li", { class: "muted" }, "No dated events match these settings.")); return; }
    for (const entry of entries) {
      const coarse = entry.precision !== "day";
      const header = el("header", {},
        el("time", { datetime: entry.date }, entry.date),
        el("span", { class: "badge", title: "How precisely the date is known" }, entry.precision),
        el("span", { class: "badge corroboration", title: "Articles that mention this date or were published on it" }, `${plural(entry.corroboration, "article")}`),
        coarse ? null : el("button", { type: "button", class: "linkish", onclick: () => openDay(entry.date, true) }, "all sentences on this date"));
      const sentences = el("ul", { class: "sentences" }, ...entry.sentences.map((ref) => el("li", {}, sentenceButton(ref))));
      list.append(el("li", { class: `entry${coarse ? " coarse" : ""}`, id: `entry-${entry.date}`, "data-date": entry.date }, header, sentences));
    }
  }

  function updateExports(params) {
    const nav = $("exports");
    nav.replaceChildren(document.createTextNode("Export:"));
    const formats = (state.corpus && state.corpus.formats) || Object.keys(FORMAT_LABELS);
    for (const fmt of formats) {
      const [label, ext] = FORMAT_LABELS[fmt] || [fmt, "txt"];
      const qs = paramsQS(params);
      qs.set("format", fmt);
      const attrs = { href: `/api/timeline?${qs}`, "data-format": fmt };
      if (fmt === "html") { attrs.target = "_blank"; attrs.rel = "noopener"; } else { attrs.download = `timeline${fmt === "timelinejs" ? "-timelinejs" : ""}.${ext}`; }
      nav.append(el("a", attrs, label));
    }
  }

  // ---- the zoomable time axis ----
  function fitAxis(restore) {
    const entries = (state.timeline && state.timeline.entries) || [];
    if (!entries.length) { state.domain = null; state.view = null; $("axis").replaceChildren(); return; }
    const lo = Math.min(...entries.map((e) => parseDay(e.date)));
    const hi = Math.max(...entries.map(periodEnd));
    const pad = Math.max(DAY_MS, (hi - lo) * 0.04);
    state.domain = [lo - pad, hi + pad];
    state.view = (restore && parseView(state.pendingView)) || [lo - pad, hi + pad];
    state.pendingView = null;
    scheduleViewURL();
    drawAxis();
  }
  function parseView(text) {
    // "2009-06-01..2009-06-09" -> [ms, ms], within the limits zoom() keeps; anything else -> null
    const m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(text || "");
    if (!m || !state.domain) return null;
    const lo = parseDay(m[1]), hi = parseDay(m[2]) + DAY_MS;
    const maxSpan = (state.domain[1] - state.domain[0]) * 4;
    if (!(hi - lo >= 2 * DAY_MS && hi - lo <= maxSpan)) return null;
    return [lo, hi];
  }
  let viewTimer = null;
  function scheduleViewURL() {
    // Zoom and pan replace the URL's view (no history entry per wheel step); the fitted view has none.
    clearTimeout(viewTimer);
    viewTimer = setTimeout(() => {
      const qs = new URLSearchParams(location.search);
      const fitted = state.view && state.domain && state.view[0] === state.domain[0] && state.view[1] === state.domain[1];
      if (!state.view || fitted) qs.delete(VIEW_KEY);
      else qs.set(VIEW_KEY, `${isoDay(state.view[0])}..${isoDay(state.view[1] - DAY_MS)}`);
      const url = `${location.pathname}${qs.toString() ? "?" + qs : ""}`;
      if (url !== `${location.pathname}${location.search}`) history.replaceState(null, "", url);
    }, 250);
  }

  function drawAxis() {
    const box = $("axis");
    const entries = (state.timeline && state.timeline.entries) || [];
    if (!state.view || !entries.length) return;
    const W = Math.max(480, box.clientWidth || 900), H = 110, left = 14, right = 14, base = 78;
    const [lo, hi] = state.view;
    const x = (ms) => left + ((ms - lo) / (hi - lo)) * (W - left - right);
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "Timeline dates on a time axis" });
    root.append(svg("rect", { x: 0, y: 0, width: W, height: H, fill: "#fff" }));
    const t = ticks(lo, hi, W - left - right);
    for (const v of t.values) {
      const g = svg("g", { class: "tick" });
      g.append(svg("line", { x1: x(v), x2: x(v), y1: 10, y2: base + 4 }));
      g.append(svg("text", { x: x(v), y: base + 18, "text-anchor": "middle" }, tickLabel(v, t.unit)));
      root.append(g);
    }
    root.append(svg("line", { x1: left, x2: W - right, y1: base, y2: base, stroke: "#5d6670" }));
    let lastLabelEnd = -Infinity;
    for (const entry of entries) {
      const start = parseDay(entry.date);
      const end = periodEnd(entry);
      if (end < lo || start > hi) continue;
      const selected = state.selected === entry.date ? " selected" : "";
      let marker;
      const cx = x(start + (end - start) / 2);
      if (entry.precision === "day") {
        const r = Math.min(14, 4 + 2 * Math.sqrt(entry.corroboration));
        marker = svg("circle", { cx: cx.toFixed(1), cy: base - r - 2, r: r.toFixed(1), class: `marker${selected}` });
      } else {
        const x0 = x(start), x1 = x(end);
        marker = svg("rect", { x: x0.toFixed(1), y: base - 10, width: Math.max(3, x1 - x0).toFixed(1), height: 8, class: `marker coarse${selected}` });
      }
      marker.setAttribute("data-date", entry.date);
      marker.append(svg("title", {}, `${entry.date} (${entry.precision}) · ${plural(entry.corroboration, "article")}`));
      marker.addEventListener("click", (event) => { event.stopPropagation(); selectEntry(entry.date, true); });
      root.append(marker);
      const labelWidth = entry.date.length * 6.2;
      if (cx - labelWidth / 2 > lastLabelEnd + 4) {
        root.append(svg("text", { x: cx, y: 22, "text-anchor": "middle", class: "label" }, entry.date));
        lastLabelEnd = cx + labelWidth / 2;
      }
    }
    box.replaceChildren(root);
  }

  function zoom(factor, centerMs) {
    if (!state.view) return;
    const [lo, hi] = state.view;
    const center = centerMs === undefined ? (lo + hi) / 2 : centerMs;
    const span = Math.min(Math.max((hi - lo) * factor, 2 * DAY_MS), (state.domain[1] - state.domain[0]) * 4);
    const ratio = (center - lo) / (hi - lo);
    state.view = [center - ratio * span, center - ratio * span + span];
    scheduleDraw();
    scheduleViewURL();
  }
  let drawPending = false;
  function scheduleDraw() {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(() => { drawPending = false; drawAxis(); });
  }
  function axisMs(event) {
    const rect = $("axis").getBoundingClientRect();
    const [lo, hi] = state.view;
    return lo + ((event.clientX - rect.left) / rect.width) * (hi - lo);
  }
  function setupAxis() {
    const box = $("axis");
    box.addEventListener("wheel", (event) => {
      if (!state.view) return;
      event.preventDefault();
      zoom(Math.exp(event.deltaY * 0.0015), axisMs(event));
    }, { passive: false });
    let drag = null;
    box.addEventListener("pointerdown", (event) => {
      if (!state.view || event.target.classList.contains("marker")) return;
      drag = { x: event.clientX, view: state.view.slice() };
      box.setPointerCapture(event.pointerId);
    });
    box.addEventListener("pointermove", (event) => {
      if (!drag) return;
      const rect = box.getBoundingClientRect();
      const shift = ((event.clientX - drag.x) / rect.width) * (drag.view[1] - drag.view[0]);
      state.view = [drag.view[0] - shift, drag.view[1] - shift];
      scheduleDraw();
      scheduleViewURL();
    });
    const end = () => { drag = null; };
    box.addEventListener("pointerup", end);
    box.addEventListener("pointercancel", end);
    $("zoom-in").addEventListener("click", () => zoom(0.5));
    $("zoom-out").addEventListener("click", () => zoom(2));
    $("zoom-reset").addEventListener("click", () => fitAxis());
    let resizeTimer = null;
    window.addEventListener("resize", () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(() => { drawAxis(); if (state.corpus) renderHistogram(state.corpus); }, 150); });
  }

  function selectEntry(date, scroll) {
    state.selected = date;
    for (const node of document.querySelectorAll(".entry.selected")) node.classList.remove("selected");
    const item = document.getElementById(`entry-${date}`);
    if (item) {
      item.classList.add("selected");
      if (scroll) item.scrollIntoView({ block: "center", behavior: "smooth" });
    }
    drawAxis();
  }

  // ---- the side panel: an article, a date, or search results ----
  function showPanel(title, ...children) {
    const body = $("panel-body");
    body.replaceChildren(el("h2", { id: "panel-title" }, title), ...children.filter(Boolean));
    $("panel").hidden = false;
    document.body.classList.add("panel-open");
    $("panel").scrollTop = 0;
  }
  function closePanel(push) {
    $("panel").hidden = true;
    document.body.classList.remove("panel-open");
    if (push) writeURL(readURL().params, {}, true);
  }

  async function openArticle(id, sentence, push) {
    const index = Number(sentence);
    if (push) writeURL(readURL().params, { article: id, sentence: String(index) }, true);
    let body;
    try {
      body = await getJSON(`/api/articles/${encodeURIComponent(id)}`);
    } catch (error) {
      showPanel("Article not available", el("p", { class: "muted" }, error.message));
      return;
    }
    const article = body.article;
    const meta = [article.source, `published ${article.published}`, article.name ? `file ${article.name}` : null].filter(Boolean).join(" · ");
    const href = safeHref(article.link);
    const link = href ? el("p", {}, el("a", { href, target: "_blank", rel: "noopener noreferrer" }, "Open the original article")) : null;
    // Offsets are Python code points: slice by code point, not by UTF-16 unit.
    const chars = Array.from(article.text);
    const text = el("div", { class: "article-text", id: "article-text" });
    let pos = 0;
    let marked = null;
    for (const s of body.sentences) {
      if (s.start < pos) continue;
      if (s.start > pos) text.append(document.createTextNode(chars.slice(pos, s.start).join("")));
      const piece = chars.slice(s.start, s.end).join("");
      const node = s.index === index ? el("mark", { id: "highlight", "data-index": s.index }, piece) : el("span", { "data-index": s.index }, piece);
      if (s.index === index) marked = node;
      text.append(node);
      pos = s.end;
    }
    if (pos < chars.length) text.append(document.createTextNode(chars.slice(pos).join("")));
    const where = Number.isInteger(index) && index >= 0 ? el("p", { class: "muted" }, `Sentence ${index + 1} of ${body.sentences.length} is highlighted.`) : null;
    showPanel(article.title || article.name || article.id, el("p", { class: "muted" }, meta), link, where, text);
    if (marked) marked.scrollIntoView({ block: "center" });
  }

  function sentenceList(refs) {
    return el("ul", { class: "sentences" }, ...refs.map((ref) => el("li", {}, sentenceButton(ref))));
  }

  async function openDay(day, push) {
    if (push) writeURL(readURL().params, { day }, true);
    try {
      const body = await getJSON(`/api/dates/${encodeURIComponent(day)}`);
      const more = body.truncated ? ` (showing the first ${body.sentences.length})` : "";
      showPanel(`Sentences mentioning ${body.date}`,
        el("p", { class: "muted" }, `${plural(body.count, "sentence")} in ${plural(body.articles, "article")}${more}`),
        sentenceList(body.sentences));
    } catch (error) {
      showPanel(`Sentences mentioning ${day}`, el("p", { class: "muted" }, error.message));
    }
  }

  async function openSearch(q, push) {
    if (push) writeURL(readURL().params, { search: q }, true);
    $("search-q").value = q;
    try {
      const body = await getJSON(`/api/search?${new URLSearchParams({ q })}`);
      const more = body.truncated ? " (the first ones)" : "";
      showPanel(`Sentences containing “${body.q}”`, el("p", { class: "muted" }, `${plural(body.count, "sentence")}${more}`), sentenceList(body.sentences));
    } catch (error) {
      showPanel("Search", el("p", { class: "muted" }, error.message));
    }
  }

  function openPanelFromURL(panel) {
    if (panel.article) openArticle(panel.article, panel.sentence !== undefined ? panel.sentence : -1, false);
    else if (panel.day) openDay(panel.day, false);
    else if (panel.search) openSearch(panel.search, false);
    else closePanel(false);
  }

  // ---- start ----
  async function start() {
    setupAxis();
    $("controls-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const params = formParams();
      writeURL(params, readURL().panel, true, false); // a new timeline starts fitted
      loadTimeline(params);
    });
    $("search-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const q = $("search-q").value.trim();
      if (q) openSearch(q, true);
    });
    $("panel-close").addEventListener("click", () => closePanel(true));
    document.addEventListener("keydown", (event) => { if (event.key === "Escape" && !$("panel").hidden) closePanel(true); });
    window.addEventListener("popstate", () => {
      const { params, panel, view } = readURL();
      state.pendingView = view;
      fillForm(params);
      loadTimeline(params);
      openPanelFromURL(panel);
    });
    try {
      state.corpus = await getJSON("/api/corpus");
    } catch (error) {
      $("summary").textContent = `Could not load the corpus: ${error.message}`;
      return;
    }
    renderOverview(state.corpus);
    const { params, panel, view } = readURL();
    state.pendingView = view;
    fillForm(params);
    openPanelFromURL(panel);
    await loadTimeline(params);
  }

  document.addEventListener("DOMContentLoaded", start);
})();
