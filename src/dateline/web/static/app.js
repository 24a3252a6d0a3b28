// Dateline's page: plain JS and SVG, no library. Article text is untrusted, so every
// piece of data reaches the DOM through textContent / createElement / setAttribute,
// never parsed as markup, and only http(s) URLs ever become links.
"use strict";

(function () {
  const SVG_NS = "http://www.w3.org/2000/svg";
  const PARAMS = ["query", "from", "to", "dates", "sentences", "method", "precision"];
  const PANEL_KEYS = ["article", "sentence", "date", "day", "search"];
  const DAY_MS = 86400000;
  const FORMAT_LABELS = {
    json: ["JSON", "json"], markdown: ["Markdown", "md"], tilse: ["TILSE text", "txt"],
    newstls: ["news-tls", "jsonl"], timelinejs: ["TimelineJS JSON", "json"],
    "timelinejs-csv": ["TimelineJS sheet (CSV)", "csv"], html: ["Printable page", "html"],
  };
  const $ = (id) => document.getElementById(id);
  const state = { corpus: null, timeline: null, domain: null, story: null, view: null, geom: null, pendingView: null, selected: null, request: 0 };
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
      const error = new Error(body && body.error ? body.error : `HTTP ${response.status}`);
      error.status = response.status;
      error.retryAfter = Number(response.headers.get("Retry-After")) || 0; // seconds, with a 503
      throw error;
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
  const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
  // Day ticks name their year on the first tick and wherever the year changes, so a zoomed axis
  // always says which year it shows without repeating it on every tick.
  function tickLabels(values, unit) {
    let lastYear = null;
    return values.map((ms) => {
      const d = new Date(ms);
      const year = d.getUTCFullYear();
      if (unit === "year") return String(year);
      if (unit === "month") return `${MONTHS[d.getUTCMonth()]} ${year}`;
      const label = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}${year !== lastYear ? " " + year : ""}`;
      lastYear = year;
      return label;
    });
  }
  // How an entry's date reads: "2011-03-02", "March 2011" or "1985", as precise as it is known.
  function dateLabel(entry) {
    const parts = entry.date.split("-");
    if (entry.precision === "year") return parts[0];
    if (entry.precision === "month") return `${MONTH_NAMES[Number(parts[1]) - 1]} ${parts[0]}`;
    return entry.date;
  }
  function shortDateLabel(entry) {
    const parts = entry.date.split("-");
    if (entry.precision === "month") return `${MONTHS[Number(parts[1]) - 1]} ${parts[0]}`;
    return entry.precision === "year" ? parts[0] : entry.date;
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
    if (params.method === "datewise") params.method = ""; // the defaults stay out of the URL
    if (params.precision === "day") params.precision = "";
    return params;
  }
  function fillForm(params) {
    const DEFAULTS = { method: "datewise", precision: "day" };
    for (const key of PARAMS) $(`f-${key}`).value = params[key] || DEFAULTS[key] || "";
  }

  // ---- overview: counts, histogram, top dates ----
  function renderOverview(corpus) {
    // the default title is the product's name: say it once
    document.title = !corpus.title || corpus.title.trim().toLowerCase() === "dateline" ? "Dateline" : `${corpus.title} · Dateline`;
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
    const labels = tickLabels(t.values, t.unit);
    t.values.forEach((v, i) => {
      root.append(svg("line", { x1: x(v), x2: x(v), y1: axisY, y2: axisY + 4, stroke: "#5d6670" }));
      root.append(svg("text", { x: x(v), y: axisY + 16, "text-anchor": "middle" }, labels[i]));
    });
    box.append(root);
  }

  // ---- timeline ----
  function clearTimeline() {
    // A failed build must not leave the previous timeline under its error message.
    state.timeline = null;
    state.domain = null;
    state.story = null;
    state.view = null;
    state.selected = null;
    $("entries").replaceChildren();
    $("axis").replaceChildren();
  }

  async function loadTimeline(params) {
    const request = ++state.request;
    $("news").replaceChildren();
    setStatus("Building the timeline…");
    document.body.dataset.timeline = "loading";
    $("timeline-view").classList.add("stale");
    updateExports(params);
    let body;
    try {
      body = await getJSON(`/api/timeline?${paramsQS(params)}`);
    } catch (error) {
      if (request !== state.request) return;
      $("timeline-view").classList.remove("stale");
      clearTimeline();
      if (error.status === 503) {
        // the server is still reading the corpus, or busy building others: try again shortly
        setStatus(`${error.message}; trying again…`);
        const wait = Math.min(Math.max(error.retryAfter || 1.5, 0.5), 30) * 1000;
        setTimeout(() => { if (request === state.request) loadTimeline(params); }, wait);
        return;
      }
      setStatus(`Could not build the timeline: ${error.message}`, true);
      document.body.dataset.timeline = "error";
      return;
    }
    if (request !== state.request) return; // a newer request superseded this one
    $("timeline-view").classList.remove("stale");
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
    // the JSON's 0-based sentence_index, as `dateline annotate`, the exports and the URL number it
    parts.push(`sentence ${ref.sentence_index}`);
    return parts.join(" · ");
  }
  // What a reader sees of a sentence: its `display` text (escapes decoded) when the API has one.
  function shownText(ref) { return typeof ref.display === "string" ? ref.display : ref.text; }

  // ---- highlighting search hits (text nodes and <mark>, never markup) ----
  function queryTerms(q) {
    // the words and "quoted phrases" of a query, as the server's search reads them
    const terms = [];
    const re = /"([^"]+)"|(\S+)/g;
    let m;
    while ((m = re.exec(q || ""))) {
      const term = (m[1] || m[2]).replace(/^["']+|["']+$/g, "").trim();
      if (term) terms.push(term);
    }
    return terms;
  }
  function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  function termRanges(text, terms) {
    // [start, end] code-point ranges where a term starts a word (the server matches word prefixes)
    if (!terms.length) return [];
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${terms.map((t) => escapeRegExp(t).replace(/\s+/g, "\\s+")).join("|")})`, "giu");
    const ranges = [];
    for (const m of text.matchAll(pattern)) {
      if (!m[0]) continue;
      const start = Array.from(text.slice(0, m.index)).length;
      ranges.push([start, start + Array.from(m[0]).length]);
    }
    return ranges;
  }
  function markedText(text, ranges) {
    // text with the given [start, end] code-point ranges wrapped in <mark>; bad ranges are dropped
    const chars = Array.from(text);
    const clean = (ranges || [])
      .filter((r) => Array.isArray(r) && Number.isInteger(r[0]) && Number.isInteger(r[1]) && r[0] >= 0 && r[1] > r[0] && r[1] <= chars.length)
      .sort((a, b) => a[0] - b[0]);
    const out = [];
    let pos = 0;
    for (const [start, end] of clean) {
      if (start < pos) continue;
      if (start > pos) out.push(document.createTextNode(chars.slice(pos, start).join("")));
      out.push(el("mark", { class: "hit" }, chars.slice(start, end).join("")));
      pos = end;
    }
    if (pos < chars.length) out.push(document.createTextNode(chars.slice(pos).join("")));
    return out;
  }

  function sentenceButton(ref, options) {
    const opts = options || {};
    const text = shownText(ref);
    let content = [text];
    if (opts.highlights !== undefined || opts.terms) {
      // the server's offsets are into `text`; over a different `display` text, find the terms here
      const ranges = Array.isArray(opts.highlights) && text === ref.text ? opts.highlights : termRanges(text, opts.terms || []);
      content = markedText(text, ranges);
    }
    return el("button", {
      type: "button", class: "sentence", "data-article": ref.article_id, "data-index": ref.sentence_index,
      onclick: () => openArticle(ref.article_id, ref.sentence_index, true, opts.date),
    }, el("span", { class: "text" }, ...content), el("span", { class: "cite" }, citation(ref)));
  }

  function evidenceBlock(entry) {
    // "Why this date": what the ranker saw, for judging a thin entry. Older output has none.
    const ev = entry.evidence;
    if (!ev || typeof ev !== "object") return null;
    const num = (v) => typeof v === "number" && Number.isFinite(v);
    const facts = [];
    if (num(ev.articles)) facts.push(`${plural(ev.articles, "article")} mention this date.`);
    if (num(ev.published_on)) facts.push(`${plural(ev.published_on, "article")} ${ev.published_on === 1 ? "was" : "were"} published on it.`);
    if (typeof ev.latest_mention === "string" && ev.latest_mention) {
      facts.push(num(ev.lag_days) ? `Still mentioned ${plural(ev.lag_days, "day")} later (latest on ${ev.latest_mention}).` : `Latest mention on ${ev.latest_mention}.`);
    }
    if (num(ev.score_ratio)) facts.push(`Scored ${ev.score_ratio.toFixed(2)}× the next candidate date.`);
    else if ("score_ratio" in ev) facts.push("No other candidate date to compare its score with.");
    if (num(entry.score)) facts.push(`Ranker score ${entry.score.toFixed(2)}.`);
    if (!facts.length) return null;
    return el("details", { class: "evidence" },
      el("summary", {}, "Why this date"),
      el("ul", {}, ...facts.map((f) => el("li", {}, f))));
  }

  function renderEntries(entries) {
    const list = $("entries");
    list.replaceChildren();
    if (!entries.length) { list.append(el("li", { class: "muted" }, "No dated events match these settings.")); return; }
    for (const entry of entries) {
      const coarse = entry.precision !== "day";
      const precisionNote = { day: "day", month: "known to the month", year: "known to the year" }[entry.precision] || entry.precision;
      const header = el("header", {},
        el("time", { datetime: entry.date }, dateLabel(entry)),
        el("span", { class: "badge precision", title: "How precisely the date is known" }, precisionNote),
        el("span", { class: "badge corroboration", title: "Articles that mention this date or were published on it" }, `${plural(entry.corroboration, "article")}`),
        coarse ? null : el("button", { type: "button", class: "linkish", onclick: () => openDay(entry.date, true) }, "all sentences on this date"));
      const sentences = el("ul", { class: "sentences" }, ...entry.sentences.map((ref) => el("li", {}, sentenceButton(ref, { date: entry.date }))));
      // tabindex -1: the axis's markers move focus here, so a keyboard user lands on the entry
      list.append(el("li", { class: `entry${coarse ? " coarse" : ""}`, id: `entry-${entry.date}`, "data-date": entry.date, "data-precision": entry.precision, tabindex: "-1" },
        header, evidenceBlock(entry), sentences));
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
  const AXIS = { H: 116, left: 46, right: 46, base: 80 };
  function padded(lo, hi) {
    const pad = Math.max(DAY_MS, (hi - lo) * 0.04);
    return [lo - pad, hi + pad];
  }
  // The view a timeline opens on: the story without its stray dates. One date far from the
  // rest (a sidebar's 2013 in a 2011 story) would otherwise squash the story into a corner of
  // the axis. Dates at either end are stray when the gap that parts them from the rest is wider
  // than the rest's whole span (so the story would get less than half the axis); at most a
  // fifth of the dates are set aside, so a story in two phases or a biography over decades
  // keeps its whole range. What is set aside is counted at the axis's edges.
  function storyWindow(entries) {
    const all = padded(Math.min(...entries.map((e) => parseDay(e.date))), Math.max(...entries.map(periodEnd)));
    const mids = entries.map((e) => (parseDay(e.date) + periodEnd(e)) / 2).sort((a, b) => a - b);
    const n = mids.length;
    const budget = Math.floor(n / 5);
    if (!budget) return all;
    // how far the gap exceeds the rest's span; the widest such cut wins
    const ratio = (gap, rest) => gap / Math.max(rest, 7 * DAY_MS);
    let after = 0, best = 1;
    for (let j = 1; j <= budget; j++) {
      const r = ratio(mids[n - j] - mids[n - j - 1], mids[n - j - 1] - mids[0]);
      if (r > best) { best = r; after = j; }
    }
    let before = 0;
    best = 1;
    for (let i = 1; i <= budget - after; i++) {
      const r = ratio(mids[i] - mids[i - 1], mids[n - after - 1] - mids[i]);
      if (r > best) { best = r; before = i; }
    }
    if (!before && !after) return all;
    const [from, to] = [mids[before], mids[n - after - 1]];
    const inside = entries.filter((e) => { const m = (parseDay(e.date) + periodEnd(e)) / 2; return m >= from && m <= to; });
    return padded(Math.min(...inside.map((e) => parseDay(e.date))), Math.max(...inside.map(periodEnd)));
  }
  function fitAxis(restore, whole) {
    const entries = (state.timeline && state.timeline.entries) || [];
    if (!entries.length) { state.domain = null; state.story = null; state.view = null; $("axis").replaceChildren(); return; }
    state.domain = padded(Math.min(...entries.map((e) => parseDay(e.date))), Math.max(...entries.map(periodEnd)));
    state.story = storyWindow(entries);
    state.view = (restore && parseView(state.pendingView)) || (whole ? state.domain.slice() : state.story.slice());
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
      const fitted = state.view && state.story && state.view[0] === state.story[0] && state.view[1] === state.story[1];
      if (!state.view || fitted) qs.delete(VIEW_KEY);
      else qs.set(VIEW_KEY, `${isoDay(state.view[0])}..${isoDay(state.view[1] - DAY_MS)}`);
      const url = `${location.pathname}${qs.toString() ? "?" + qs : ""}`;
      if (url !== `${location.pathname}${location.search}`) history.replaceState(null, "", url);
    }, 250);
  }

  function activate(node, action) {
    // an SVG element that the keyboard reaches (Tab) and works (Enter, Space) like a button
    node.setAttribute("tabindex", "0");
    node.setAttribute("role", "button");
    node.addEventListener("click", (event) => { event.stopPropagation(); action(false); });
    node.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); action(true); }
    });
    node.addEventListener("pointerdown", (event) => event.stopPropagation()); // not a pan
  }

  function drawAxis() {
    const box = $("axis");
    const entries = (state.timeline && state.timeline.entries) || [];
    if (!state.view || !entries.length) return;
    const W = Math.max(480, box.clientWidth || 900);
    const { H, left, right, base } = AXIS;
    const [lo, hi] = state.view;
    const x = (ms) => left + ((ms - lo) / (hi - lo)) * (W - left - right);
    state.geom = { W, left, right };
    const focusKey = box.contains(document.activeElement) ? document.activeElement.getAttribute("data-focus") : null;
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "group", "aria-label": "Timeline dates on a time axis" });
    root.append(svg("rect", { x: 0, y: 0, width: W, height: H, fill: "#fff" }));
    const t = ticks(lo, hi, W - left - right);
    const labels = tickLabels(t.values, t.unit);
    t.values.forEach((v, i) => {
      const g = svg("g", { class: "tick" });
      g.append(svg("line", { x1: x(v), x2: x(v), y1: 10, y2: base + 4 }));
      g.append(svg("text", { x: x(v), y: base + 18, "text-anchor": "middle" }, labels[i]));
      root.append(g);
    });
    root.append(svg("line", { x1: left, x2: W - right, y1: base, y2: base, stroke: "#5d6670" }));
    const before = entries.filter((e) => periodEnd(e) <= lo), after = entries.filter((e) => parseDay(e.date) >= hi);
    if (before.length) root.append(edgeMarker("left", before, W));
    // Dots shrink where dates crowd (up to half the typical gap between neighbours), so a busy
    // month stays a row of dots, not one blot; size still says how many articles back a date.
    const dayXs = entries.filter((e) => e.precision === "day").map((e) => x(parseDay(e.date) + DAY_MS / 2)).filter((v) => v >= left && v <= W - right);
    const gaps = dayXs.slice(1).map((v, i) => v - dayXs[i]).sort((a, b) => a - b);
    const rMax = gaps.length ? Math.min(14, Math.max(4, gaps[Math.floor(gaps.length / 2)] / 2)) : 14;
    const markers = svg("g", { class: "markers" });
    let lastLabelEnd = -Infinity;
    for (const entry of entries) {
      const start = parseDay(entry.date);
      const end = periodEnd(entry);
      if (end <= lo || start >= hi) continue;
      const selected = state.selected === entry.date ? " selected" : "";
      let marker;
      const cx = x(start + (end - start) / 2);
      if (entry.precision === "day") {
        const r = Math.min(rMax, 4 + 2 * Math.sqrt(entry.corroboration));
        marker = svg("circle", { cx: cx.toFixed(1), cy: base - r - 2, r: r.toFixed(1), class: `marker${selected}` });
      } else {
        // a month or a year is a span on the axis, clipped to the plot
        const x0 = Math.max(left, x(start)), x1 = Math.min(W - right, x(end));
        marker = svg("rect", { x: x0.toFixed(1), y: base - 12, width: Math.max(4, x1 - x0).toFixed(1), height: 10, rx: 2, class: `marker coarse ${entry.precision}${selected}` });
      }
      marker.setAttribute("data-date", entry.date);
      marker.setAttribute("data-precision", entry.precision);
      marker.setAttribute("data-focus", `m:${entry.date}`);
      const what = `${dateLabel(entry)}${entry.precision === "day" ? "" : ` (${entry.precision})`}, ${plural(entry.corroboration, "article")}`;
      marker.setAttribute("aria-label", what);
      marker.append(svg("title", {}, what));
      activate(marker, (byKey) => selectEntry(entry.date, true, byKey));
      markers.append(marker);
      const label = shortDateLabel(entry);
      const labelWidth = label.length * 6.2;
      const lx = Math.min(Math.max(cx, left + labelWidth / 2), W - right - labelWidth / 2);
      if (lx - labelWidth / 2 > lastLabelEnd + 4) {
        root.append(svg("text", { x: lx, y: 22, "text-anchor": "middle", class: "label" }, label));
        lastLabelEnd = lx + labelWidth / 2;
      }
    }
    // ← and → step between the markers, so a long timeline needs no Tab per date
    markers.addEventListener("keydown", (event) => {
      if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
      const next = event.key === "ArrowRight" ? event.target.nextElementSibling : event.target.previousElementSibling;
      if (next) { event.preventDefault(); next.focus(); }
    });
    root.append(markers);
    if (after.length) root.append(edgeMarker("right", after, W));
    box.replaceChildren(root);
    if (focusKey) {
      const again = root.querySelector(`[data-focus="${focusKey}"]`);
      if (again) again.focus({ preventScroll: true });
    }
  }

  // An arrow at the axis's edge counting the dates beyond the view; it goes to the nearest one.
  function edgeMarker(side, hidden, W) {
    const { base } = AXIS;
    const nearest = side === "left" ? hidden[hidden.length - 1] : hidden[0];
    const g = svg("g", { class: `edge ${side}`, "data-focus": `edge:${side}`, "data-count": hidden.length });
    const tip = side === "left" ? 4 : W - 4, back = side === "left" ? 16 : W - 16;
    g.append(svg("rect", { x: side === "left" ? 1 : W - 43, y: base - 30, width: 42, height: 28, rx: 4, class: "edge-box" }));
    g.append(svg("path", { d: `M${tip} ${base - 16} L${back} ${base - 24} L${back} ${base - 8} Z`, class: "edge-arrow" }));
    g.append(svg("text", { x: side === "left" ? 30 : W - 30, y: base - 12, "text-anchor": "middle", class: "edge-count" }, hidden.length));
    const where = side === "left" ? "before" : "after";
    const what = `${plural(hidden.length, "date")} ${where} this view (${hidden.map(shortDateLabel).join(", ")}); go to ${dateLabel(nearest)}`;
    g.setAttribute("aria-label", what);
    g.append(svg("title", {}, what));
    activate(g, (byKey) => goTo(nearest, byKey));
    return g;
  }
  function goTo(entry, byKey) {
    // centre the view on the entry (wide enough to hold its whole period) and select it
    const start = parseDay(entry.date), end = periodEnd(entry);
    const span = Math.max(state.view[1] - state.view[0], (end - start) * 1.2);
    const mid = (start + end) / 2;
    state.view = [mid - span / 2, mid + span / 2];
    scheduleViewURL();
    selectEntry(entry.date, true, byKey);
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
  // Screen pixels -> the axis's time, through the SVG's own screen transform (its scale, its
  // border) and the plot's margins: mapping the box's width onto the view made zoom drift.
  function plotScale() {
    const ctm = $("axis").querySelector("svg").getScreenCTM();
    const { W, left, right } = state.geom;
    const msPerUnit = (state.view[1] - state.view[0]) / (W - left - right);
    return { ctm, left, msPerUnit, msPerPixel: msPerUnit / ctm.a };
  }
  function axisMs(event) {
    const { ctm, left, msPerUnit } = plotScale();
    const unitX = (event.clientX - ctm.e) / ctm.a; // the cursor in viewBox units
    return state.view[0] + (unitX - left) * msPerUnit;
  }
  function setupAxis() {
    const box = $("axis");
    box.addEventListener("wheel", (event) => {
      if (!state.view || !box.querySelector("svg")) return;
      event.preventDefault();
      zoom(Math.exp(event.deltaY * 0.0015), axisMs(event));
    }, { passive: false });
    let drag = null;
    box.addEventListener("pointerdown", (event) => {
      if (!state.view || !box.querySelector("svg")) return;
      drag = { x: event.clientX, view: state.view.slice(), msPerPixel: plotScale().msPerPixel };
      box.setPointerCapture(event.pointerId);
    });
    box.addEventListener("pointermove", (event) => {
      if (!drag) return;
      const shift = (event.clientX - drag.x) * drag.msPerPixel;
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
    $("zoom-all").addEventListener("click", () => fitAxis(false, true));
    // Redraw when the plots' width changes, the side panel opening included, not only the window's.
    let resizeTimer = null;
    let lastWidth = box.clientWidth;
    new ResizeObserver(() => {
      if (box.clientWidth === lastWidth) return;
      lastWidth = box.clientWidth;
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => { drawAxis(); if (state.corpus) renderHistogram(state.corpus); }, 100);
    }).observe(box);
  }

  function selectEntry(date, scroll, focus) {
    state.selected = date;
    for (const node of document.querySelectorAll(".entry.selected")) node.classList.remove("selected");
    const item = document.getElementById(`entry-${date}`);
    if (item) {
      item.classList.add("selected");
      if (focus) item.focus({ preventScroll: true });
      if (scroll) item.scrollIntoView({ block: "center", behavior: focus ? "auto" : "smooth" });
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

  // The date mentions that placed a sentence under `date` ("2011-03-02", "2011-03" or "2011"):
  // those in the sentence whose date, at the entry's precision, is the entry's date.
  function placingMentions(mentions, index, date) {
    if (!date || !Array.isArray(mentions)) return [];
    const precision = date.length === 4 ? "year" : date.length === 7 ? "month" : "day";
    return mentions.filter((m) => m && m.sentence === index && typeof m.date === "string" && m.precision === precision
      && m.date.slice(0, date.length) === date && Number.isInteger(m.start) && Number.isInteger(m.end));
  }
  function sentenceNodes(chars, s, marks) {
    // the sentence's text, its placing date expressions wrapped in <mark class="date-expr">
    const out = [];
    let pos = s.start;
    for (const m of marks) {
      if (m.start < pos || m.end > s.end) continue;
      if (m.start > pos) out.push(document.createTextNode(chars.slice(pos, m.start).join("")));
      out.push(el("mark", { class: "date-expr", title: `This expression dates the sentence: ${m.date} (${m.precision})` }, chars.slice(m.start, m.end).join("")));
      pos = m.end;
    }
    if (pos < s.end) out.push(document.createTextNode(chars.slice(pos, s.end).join("")));
    return out;
  }

  async function openArticle(id, sentence, push, date) {
    const index = Number(sentence);
    if (push) writeURL(readURL().params, { article: id, sentence: String(index), date }, true);
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
    const marks = placingMentions(body.mentions, index, date).sort((p, q) => p.start - q.start);
    let pos = 0;
    let marked = null;
    for (const s of body.sentences) {
      if (s.start < pos) continue;
      if (s.start > pos) text.append(document.createTextNode(chars.slice(pos, s.start).join("")));
      const node = s.index === index
        ? el("mark", { id: "highlight", "data-index": s.index }, ...sentenceNodes(chars, s, marks))
        : el("span", { "data-index": s.index }, chars.slice(s.start, s.end).join(""));
      if (s.index === index) marked = node;
      text.append(node);
      pos = s.end;
    }
    if (pos < chars.length) text.append(document.createTextNode(chars.slice(pos).join("")));
    const placed = marks.length ? ` The date expression that placed it under ${date} is underlined.` : "";
    const where = Number.isInteger(index) && index >= 0
      ? el("p", { class: "muted" }, `Sentence ${index} is highlighted (sentences are numbered from 0, as in the JSON; this article has ${body.sentences.length}).${placed}`)
      : null;
    showPanel(article.title || article.name || article.id, el("p", { class: "muted" }, meta), link, where, text);
    if (marked) marked.scrollIntoView({ block: "center" });
  }

  function sentenceList(refs, options) {
    return el("ul", { class: "sentences" }, ...refs.map((ref) => el("li", {}, sentenceButton(ref, options))));
  }

  async function openDay(day, push) {
    if (push) writeURL(readURL().params, { day }, true);
    try {
      const body = await getJSON(`/api/dates/${encodeURIComponent(day)}`);
      const more = body.truncated ? ` (showing the first ${body.sentences.length})` : "";
      showPanel(`Sentences mentioning ${body.date}`,
        el("p", { class: "muted" }, `${plural(body.count, "sentence")} in ${plural(body.articles, "article")}${more}`),
        sentenceList(body.sentences, { date: body.date }));
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
      // Server order is kept (it ranks the hits). Its "highlights" are offsets into each hit's
      // text; an older server sends none, and then the query's words are marked here.
      const terms = queryTerms(body.q || q);
      const list = el("ul", { class: "sentences search-hits" }, ...body.sentences.map((ref) =>
        el("li", {}, sentenceButton(ref, { highlights: Array.isArray(ref.highlights) ? ref.highlights : undefined, terms }))));
      showPanel(`Sentences containing “${body.q}”`, el("p", { class: "muted" }, `${plural(body.count, "sentence")}${more}`), list);
    } catch (error) {
      showPanel("Search", el("p", { class: "muted" }, error.message));
    }
  }

  function openPanelFromURL(panel) {
    if (panel.article) openArticle(panel.article, panel.sentence !== undefined ? panel.sentence : -1, false, panel.date);
    else if (panel.day) openDay(panel.day, false);
    else if (panel.search) openSearch(panel.search, false);
    else closePanel(false);
  }

  // A served store can grow while the page is open (dateline ingest): each new build also
  // re-reads the overview, so its counts and histogram follow.
  async function refreshCorpus() {
    try {
      const corpus = await getJSON("/api/corpus");
      if (JSON.stringify(corpus) === JSON.stringify(state.corpus)) return;
      const method = $("f-method").value;
      state.corpus = corpus;
      renderOverview(corpus);
      $("f-method").value = method;
    } catch (error) {
      // keep the overview the page has; the timeline's own request reports what went wrong
    }
  }

  // ---- start ----
  function progressText(status) {
    // /api/status says how far annotating the corpus has got (docs/api.md)
    if (!status || typeof status !== "object") return "";
    if (typeof status.done === "number" && typeof status.total === "number" && status.total > 0) {
      return `${status.phase || "annotating"}: ${status.done} of ${plural(status.total, "article")}`;
    }
    return typeof status.phase === "string" ? status.phase : "";
  }
  async function loadCorpus() {
    // A server still reading its corpus answers 503: show how far it has got and ask again.
    for (;;) {
      let retry = 1;
      try {
        return await getJSON("/api/corpus");
      } catch (error) {
        if (error.status !== 503) {
          $("summary").textContent = `Could not load the corpus: ${error.message}`;
          return null;
        }
        retry = Math.min(Math.max(error.retryAfter || 1, 0.5), 10);
      }
      let status = null;
      try { status = await getJSON("/api/status"); } catch (e) { status = null; }
      if (status && status.state === "failed") {
        $("summary").textContent = `Could not load the corpus: ${status.error || "loading failed"}`;
        return null;
      }
      const progress = progressText(status);
      $("summary").textContent = `Loading the corpus…${progress ? " " + progress : ""}`;
      await new Promise((resolve) => setTimeout(resolve, retry * 1000));
    }
  }

  // A served store grows while the page is open (dateline ingest). /api/status's `generation`
  // changes with the served articles: then the overview is re-read and the timeline offers a
  // rebuild (not forced: the reader may be in the middle of it). An older server has no status.
  const WATCH_MS = 3000;
  async function watchCorpus() {
    let seen = null;
    for (let first = true; ; first = false) {
      if (!first) await new Promise((resolve) => setTimeout(resolve, WATCH_MS));
      if (document.hidden && !first) continue;
      let status;
      try { status = await getJSON("/api/status"); } catch (error) {
        if (error.status === 404) return; // no /api/status: nothing to watch
        continue;
      }
      if (status.generation === undefined || status.generation === null) continue;
      if (seen === null) { seen = status.generation; continue; }
      if (status.generation === seen) continue;
      seen = status.generation;
      const before = state.corpus ? state.corpus.articles : null;
      await refreshCorpus();
      const now = state.corpus ? state.corpus.articles : null;
      const more = before !== null && now !== null && now > before ? `${plural(now - before, "new article")}` : "The articles changed";
      $("news").replaceChildren(
        document.createTextNode(`${more} since this timeline was built. `),
        el("button", { type: "button", id: "rebuild", class: "linkish", onclick: () => { $("news").replaceChildren(); loadTimeline(readURL().params); } }, "Rebuild it"));
    }
  }

  // ---- start ----
  async function start() {
    setupAxis();
    $("controls-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const params = formParams();
      writeURL(params, readURL().panel, true, false); // a new timeline starts fitted
      refreshCorpus();
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
    state.corpus = await loadCorpus();
    if (!state.corpus) return;
    renderOverview(state.corpus);
    const { params, panel, view } = readURL();
    state.pendingView = view;
    fillForm(params);
    openPanelFromURL(panel);
    await loadTimeline(params);
    watchCorpus();
  }

  document.addEventListener("DOMContentLoaded", start);
})();
