// polytm's web page. It speaks only the public API (/api/...), and never
// puts text from the TM or the glossary into the page as markup: every
// piece of text goes in through textContent.
"use strict";

const $ = (sel) => document.querySelector(sel);
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const k of kids) if (k != null) e.append(k);
  return e;
};

const LANG_NAMES = { en: "English", ru: "Russian", zh: "Chinese", "zh-Hant": "Chinese (Traditional)" };
const state = { info: null, token: localStorage.getItem("polytm-token") || "", search: null };

// ---------------------------------------------------------------------------
// The API

async function api(path, opts = {}) {
  const headers = Object.assign({}, opts.headers || {});
  if (state.token) headers["Authorization"] = "Bearer " + state.token;
  if (opts.json !== undefined) {
    headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(opts.json);
  }
  const r = await fetch(path, { method: opts.method || "GET", headers, body: opts.body, signal: opts.signal });
  const text = await r.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (_) { data = text; }
  if (!r.ok) {
    const msg = data && data.error ? data.error : r.status + " " + r.statusText;
    const e = new Error(msg);
    e.status = r.status;
    throw e;
  }
  return data;
}

function status(msg, bad) {
  const s = $("#status");
  s.textContent = msg || "";
  s.classList.toggle("bad", !!bad);
}

// ---------------------------------------------------------------------------
// Start

async function start() {
  $("#key").classList.toggle("on", !!state.token);
  try {
    state.info = await api("/api/info");
  } catch (e) {
    if (e.status === 401) {
      $("#key").hidden = false;
      status(state.token ? "the token is wrong" : "this server needs a token", true);
      openKey();
      return;
    }
    status("cannot reach the server: " + e.message, true);
    return;
  }
  const info = state.info;
  // `authorized`: no token is needed, or the one given is right
  const canWrite = info.writes && info.authorized !== false && (!info.token_required || !!state.token);
  document.body.classList.toggle("can-write", canWrite);
  $("#key").classList.toggle("on", canWrite && info.token_required);
  $("#key").hidden = !info.token_required;
  const facts = [`${info.units.toLocaleString()} units`, `${info.concepts.toLocaleString()} concepts`];
  if (info.read_only) facts.push("read-only");
  else if (info.token_required && !state.token) facts.push("changes need the token");
  if (state.token && info.authorized === false) {
    status(facts.join(" · ") + " · the token is wrong", true);
  } else {
    status(facts.join(" · "));
  }
  fillLanguages(info.languages);
  if (review) drawReview();
  if (!$("#view-search").hidden) $("#q").focus();
}

function fillLanguages(langs) {
  const list = langs.length ? langs : ["en", "ru", "zh"];
  const saved = JSON.parse(localStorage.getItem("polytm-pair") || "null");
  for (const [id, pick] of [["#from", saved ? saved[0] : list[0]], ["#to", saved ? saved[1] : list[1] || list[0]]]) {
    const s = $(id);
    s.replaceChildren();
    for (const l of list) s.append(el("option", { value: l, text: LANG_NAMES[l] ? `${LANG_NAMES[l]} (${l})` : l }));
    if (list.includes(pick)) s.value = pick;
  }
  const g = $("#g-lang");
  const keep = g.value;
  g.replaceChildren(el("option", { value: "", text: "all languages" }));
  for (const l of list) g.append(el("option", { value: l, text: LANG_NAMES[l] || l }));
  g.value = keep;
}

// ---------------------------------------------------------------------------
// Search: concepts, matches, concordance

async function search(ev) {
  if (ev) ev.preventDefault();
  const q = $("#q").value.trim();
  if (!q) return;
  const from = $("#from").value, to = $("#to").value;
  localStorage.setItem("polytm-pair", JSON.stringify([from, to]));
  if (from === to) {
    status("the source and the target language are the same", true);
    return;
  }
  if (state.search) state.search.abort();
  const ctl = new AbortController();
  state.search = ctl;
  const results = $("#results");
  $("#hint").hidden = true;
  results.hidden = false;
  results.dataset.query = q;
  $("#pair-label").textContent = `${from} → ${to}`;
  for (const id of ["#terms", "#matches", "#conc"]) $(id).replaceChildren(el("div", { class: "pending", text: "searching …" }));
  const enc = encodeURIComponent;
  const jobs = [
    api(`/api/term?q=${enc(q)}`, { signal: ctl.signal }).then((c) => showConcepts(c, [from, to])),
    api(`/api/match?from=${enc(from)}&to=${enc(to)}&q=${enc(q)}`, { signal: ctl.signal }).then((m) => showMatches(m, from, to)),
    api(`/api/concordance?q=${enc(q)}&lang=${enc(from)}`, { signal: ctl.signal }).then(showConcordance),
  ];
  const done = await Promise.allSettled(jobs);
  if (ctl.signal.aborted) return;
  for (const [i, r] of done.entries()) {
    if (r.status === "rejected" && r.reason.name !== "AbortError") {
      const box = ["#terms", "#matches", "#conc"][i];
      $(box).replaceChildren(el("div", { class: "error", text: r.reason.message }));
    }
  }
}

function showConcepts(list, pair) {
  const box = $("#terms");
  $("#n-terms").textContent = list.length ? `(${list.length})` : "";
  if (!list.length) {
    box.replaceChildren(el("div", { class: "empty", text: "No concept of the glossary." }));
    return;
  }
  box.replaceChildren(...list.map((c) => conceptCard(c, pair)));
}

// A term: its text, and its status when it is not a plain variant.
function termNodes(t) {
  const out = [el("span", { class: `term ${t.status}`, text: t.text, title: t.status + (t.note ? " — " + t.note : "") })];
  if (t.status !== "preferred" && t.status !== "variant") {
    out.push(el("span", { class: `badge ${t.status}`, text: t.status === "abbreviation" ? "abbr." : t.status }));
  }
  return out;
}

function conceptCard(c, pair) {
  const card = el("div", { class: "concept" });
  const byLang = new Map();
  for (const t of c.terms) {
    if (!byLang.has(t.lang)) byLang.set(t.lang, []);
    byLang.get(t.lang).push(t);
  }
  const rank = (l) => (pair.indexOf(l) + 1 || 9);
  const langs = [...byLang.keys()].sort((a, b) => rank(a) - rank(b));
  for (const lang of langs) {
    const terms = byLang.get(lang);
    const first = terms.find((t) => t.status === "preferred") || terms[0];
    const rest = terms.filter((t) => t !== first);
    const cell = el("div", { class: "terms", lang });
    cell.append(el("div", { class: "first" }, ...termNodes(first)));
    if (rest.length) {
      const more = el("div", { class: "more" });
      rest.forEach((t, i) => {
        if (i) more.append(el("span", { class: "sep", "aria-hidden": "true", text: " · " }));
        more.append(...termNodes(t));
      });
      cell.append(more);
    }
    card.append(el("div", { class: "lang" + (lang === pair[1] ? " target" : "") }, el("span", { class: "code", text: lang }), cell));
  }
  const notes = [c.domain, c.note].filter(Boolean).join(" · ");
  if (notes) card.append(el("div", { class: "note", text: notes }));
  if (c.source) card.append(el("div", { class: "note source", text: "Source: " + c.source }));
  return card;
}

// The match bands of CAT tools' analyses: class and name.
function band(score) {
  if (score >= 100) return ["b100", "exact"];
  if (score >= 95) return ["b95", "95–99"];
  if (score >= 85) return ["b85", "85–94"];
  if (score >= 75) return ["b75", "75–84"];
  return ["b50", "50–74"];
}

// A wdiff string ("[-old-] {+new+}") as text with <del>/<ins>.
function diffNodes(diff) {
  const out = [];
  const re = /\[-([\s\S]*?)-\]|\{\+([\s\S]*?)\+\}/g;
  let at = 0, m;
  while ((m = re.exec(diff))) {
    if (m.index > at) out.push(document.createTextNode(diff.slice(at, m.index)));
    if (m[1] !== undefined) out.push(el("del", { class: "d", text: m[1] }));
    else out.push(el("ins", { class: "i", text: m[2] }));
    at = re.lastIndex;
  }
  if (at < diff.length) out.push(document.createTextNode(diff.slice(at)));
  return out;
}

function showMatches(list, from, to) {
  const box = $("#matches");
  $("#n-matches").textContent = list.length ? `(${list.length})` : "";
  if (!list.length) {
    box.replaceChildren(el("div", { class: "empty", text: `No ${from}→${to} match of 50 % or more.` }));
    return;
  }
  const tpl = $("#t-match");
  box.replaceChildren(...list.map((m) => {
    const node = tpl.content.firstElementChild.cloneNode(true);
    const s = node.querySelector(".score");
    const [cls, name] = band(m.score);
    s.textContent = m.score + "%";
    s.classList.add(cls);
    node.querySelector(".band").textContent = name;
    node.classList.add(cls);
    const src = node.querySelector(".src");
    src.lang = from;
    src.replaceChildren(...(m.diff ? diffNodes(m.diff) : [document.createTextNode(m.source)]));
    const tgt = node.querySelector(".tgt .text");
    tgt.lang = to;
    tgt.textContent = m.target;
    node.querySelector(".copy").addEventListener("click", (ev) => copy(m.target, ev.target));
    if (m.repaired && m.changes) {
      const r = node.querySelector(".repair");
      r.hidden = false;
      r.append(el("span", { class: "label", text: "Adapted from the glossary:" }));
      for (const c of m.changes) r.append(" ", el("del", { class: "d", text: c.was }), " → ", el("ins", { class: "i", text: c.now }));
      if (m.original_target) r.append(el("div", { class: "orig", lang: to, text: "The TM has: " + m.original_target }));
    }
    const meta = [m.document, m.reviewed ? "reviewed" : null, m.date ? m.date.slice(0, 10) : null, m.tm !== "main" ? m.tm : null, "unit " + m.unit]
      .filter(Boolean).join(" · ");
    node.querySelector(".meta").textContent = meta;
    return node;
  }));
}

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (_) {
    const t = el("textarea", {}, text);
    t.value = text;
    document.body.append(t);
    t.select();
    document.execCommand("copy");
    t.remove();
  }
  button.textContent = "Copied";
  button.classList.add("done");
  setTimeout(() => { button.textContent = "Copy"; button.classList.remove("done"); }, 1200);
}

// Text with the character ranges `spans` marked (offsets in characters).
function marked(text, spans) {
  const chars = Array.from(text);
  const out = [];
  let at = 0;
  for (const { start, end } of spans) {
    if (start > at) out.push(document.createTextNode(chars.slice(at, start).join("")));
    out.push(el("mark", { text: chars.slice(start, end).join("") }));
    at = end;
  }
  if (at < chars.length) out.push(document.createTextNode(chars.slice(at).join("")));
  return out;
}

function showConcordance(list) {
  const box = $("#conc");
  $("#n-conc").textContent = list.length ? `(${list.length})` : "";
  if (!list.length) {
    box.replaceChildren(el("div", { class: "empty", text: "No unit contains it." }));
    return;
  }
  box.replaceChildren(...list.map((h) => {
    const card = el("div", { class: "hit" }, el("div", { class: "text", lang: h.lang }, ...marked(h.text, h.matches)));
    for (const [lang, text] of Object.entries(h.variants)) {
      card.append(el("div", { class: "other" }, el("span", { class: "code", text: lang }), el("span", { lang, text })));
    }
    card.append(el("div", { class: "meta", text: [h.document, "unit " + h.unit].filter(Boolean).join(" · ") }));
    return card;
  }));
}

// ---------------------------------------------------------------------------
// Glossary: browse, filter, add and edit

let concepts = [];
let editing = null;

async function loadGlossary() {
  try {
    concepts = await api("/api/concepts");
  } catch (e) {
    $("#g-table tbody").replaceChildren(el("tr", {}, el("td", { class: "error", text: e.message })));
    return;
  }
  drawGlossary();
}

function glossaryLangs() {
  const set = new Set();
  for (const c of concepts) for (const t of c.terms) set.add(t.lang);
  const order = ["en", "ru", "zh", "zh-Hant"];
  return [...set].sort((a, b) => (order.indexOf(a) + 1 || 9) - (order.indexOf(b) + 1 || 9) || a.localeCompare(b));
}

// The terms of one language: the preferred one, the others after it.
function termCell(terms, lang) {
  const td = el("td", { lang });
  if (!terms.length) return td;
  const first = terms.find((t) => t.status === "preferred") || terms[0];
  td.append(el("div", { class: "first" }, ...termNodes(first)));
  const rest = terms.filter((t) => t !== first);
  if (rest.length) {
    const more = el("div", { class: "more" });
    rest.forEach((t, i) => {
      if (i) more.append(el("span", { class: "sep", "aria-hidden": "true", text: " · " }));
      more.append(...termNodes(t));
    });
    td.append(more);
  }
  return td;
}

let drawn = null; // the filter the glossary table was drawn with

function filterGlossary() {
  const key = JSON.stringify([$("#g-filter").value.trim().toLowerCase(), $("#g-lang").value]);
  if (key !== drawn) drawGlossary();
}

function drawGlossary() {
  const want = $("#g-filter").value.trim().toLowerCase();
  const only = $("#g-lang").value;
  drawn = JSON.stringify([want, only]);
  const langs = only ? [only] : glossaryLangs();
  $("#g-table thead").replaceChildren(el("tr", {}, ...langs.map((l) => el("th", { text: l })), el("th", { text: "note" }), el("th", { class: "write", text: "" })));
  const rows = [];
  for (const c of concepts) {
    const shown = c.terms.filter((t) => langs.includes(t.lang));
    if (!shown.length) continue;
    if (want && !shown.some((t) => t.text.toLowerCase().includes(want)) && !(c.note || "").toLowerCase().includes(want)) continue;
    const tr = el("tr");
    for (const l of langs) tr.append(termCell(shown.filter((t) => t.lang === l), l));
    tr.append(el("td", { class: "note", text: c.note || "" }));
    tr.append(el("td", { class: "row-actions write" },
      el("button", { type: "button", class: "edit", text: "Edit", onclick: () => openEditor(c) }),
      " ",
      el("button", { type: "button", class: "delete", text: "Delete", onclick: () => removeConcept(c) })));
    rows.push(tr);
    if (rows.length >= 2000) break;
  }
  if (!rows.length) rows.push(el("tr", {}, el("td", { class: "empty", colspan: String(langs.length + 2), text: want ? "No concept has such a term." : "The glossary is empty." })));
  $("#g-table tbody").replaceChildren(...rows);
}

function cellOf(c, lang) {
  const terms = c ? c.terms.filter((t) => t.lang === lang) : [];
  return terms.map((t) => (t.status === "deprecated" ? "~" : t.status === "abbreviation" && terms.indexOf(t) === 0 ? "[abbr] " : "") + t.text).join(" | ");
}

function openEditor(c) {
  editing = c;
  const langs = glossaryLangs().length ? glossaryLangs() : ["en", "ru", "zh"];
  $("#g-form-title").textContent = c ? `Concept #${c.id}` : "New concept";
  $("#g-fields").replaceChildren(...langs.map((l) => el("label", {}, l, el("input", { name: "lang-" + l, value: cellOf(c, l) }))));
  $("#g-form").note.value = c && c.note ? c.note : "";
  $("#g-form").source.value = c && c.source ? c.source : "";
  $("#g-error").textContent = "";
  $("#g-form").hidden = false;
}

async function saveConcept(ev) {
  ev.preventDefault();
  const f = $("#g-form");
  const terms = {};
  for (const input of f.querySelectorAll("input[name^=lang-]")) terms[input.name.slice(5)] = input.value;
  const body = { terms, note: f.note.value, source: f.source.value };
  try {
    if (editing) await api(`/api/concepts/${editing.id}`, { method: "PUT", json: body });
    else await api("/api/concepts", { method: "POST", json: body });
    f.hidden = true;
    await loadGlossary();
  } catch (e) {
    $("#g-error").textContent = e.message;
  }
}

async function removeConcept(c) {
  const name = c.terms.length ? c.terms[0].text : "#" + c.id;
  if (!confirm(`Delete the concept “${name}” and its ${c.terms.length} terms?`)) return;
  try {
    await api(`/api/concepts/${c.id}`, { method: "DELETE" });
    await loadGlossary();
  } catch (e) {
    alert(e.message);
  }
}

// ---------------------------------------------------------------------------
// Documents: the units of an alignment side by side, for review

let review = null; // { doc, langs, rows: [{confidence, sentences: {lang: [..]}}] }

async function loadDocuments() {
  const sel = $("#d-doc");
  try {
    const docs = await api("/api/documents");
    const was = review ? review.doc : sel.value;
    sel.replaceChildren(...docs.map((d) => el("option", { value: d.name, text: `${d.name} (${d.units} units, ${d.origin})` })));
    if (docs.some((d) => d.name === was)) sel.value = was;
    // changes not saved yet stay on the page
    if (review && review.dirty && review.doc === sel.value) drawReview();
    else if (docs.length) await loadUnits();
    else $("#d-table tbody").replaceChildren(el("tr", {}, el("td", { class: "empty", text: "No document in the TM." })));
  } catch (e) {
    $("#d-error").textContent = e.message;
  }
}

async function loadUnits() {
  if (review && review.dirty && review.doc !== $("#d-doc").value && !confirm("Forget the changes to " + review.doc + "?")) {
    $("#d-doc").value = review.doc;
    return;
  }
  const name = $("#d-doc").value;
  $("#d-error").textContent = "";
  try {
    const data = await api(`/api/documents/${encodeURIComponent(name)}/units`);
    review = { doc: name, langs: data.langs, rows: data.units, dirty: false };
    drawReview();
  } catch (e) {
    $("#d-error").textContent = e.message;
  }
}

function drawReview() {
  const { langs, rows } = review;
  const canEdit = document.body.classList.contains("can-write") && review.editable !== false;
  document.body.classList.toggle("editing", canEdit);
  $("#d-save").hidden = $("#d-discard").hidden = !canEdit || !review.dirty;
  $("#d-table thead").replaceChildren(el("tr", {}, el("th", { text: "#" }), ...langs.map((l) => el("th", { text: l })), el("th", { text: "" })));
  const lowOnly = $("#d-low").checked;
  const trs = [];
  rows.forEach((u, k) => {
    const low = u.confidence != null && u.confidence < 0.5;
    if (lowOnly && !low) return;
    const shape = langs.map((l) => (u.sentences[l] || []).length).join("-");
    const tr = el("tr", { class: low ? "low" : "" });
    tr.append(el("td", { class: "num" },
      el("div", { text: String(k + 1) }),
      el("div", { class: "shape", text: shape }),
      u.confidence != null ? el("div", { class: "conf" + (low ? " low" : ""), text: u.confidence.toFixed(2) }) : null));
    for (const l of langs) {
      const td = el("td", { class: "sents", "data-lang": l, lang: l });
      (u.sentences[l] || []).forEach((s, i) => {
        const span = el("span", { class: "sent", text: s });
        const tools = el("span", { class: "edit-only tools" },
          i > 0 ? el("button", { type: "button", title: "Split the unit before this sentence", text: "✂", onclick: () => split(k, l, i) }) : null,
          el("button", { type: "button", title: "Move this sentence to the unit above", text: "↑", onclick: () => move(k, l, i, -1) }),
          el("button", { type: "button", title: "Move this sentence to the unit below", text: "↓", onclick: () => move(k, l, i, 1) }));
        td.append(el("div", { class: "line" }, span, tools));
      });
      tr.append(td);
    }
    tr.append(el("td", { class: "row-actions" },
      el("button", { type: "button", class: "edit-only join", title: "Join with the next unit", text: "Join ↓", onclick: () => join(k) }),
      " ",
      el("button", { type: "button", class: "edit-only delete", title: "Delete this unit", text: "Delete", onclick: () => del(k) })));
    trs.push(tr);
  });
  $("#d-table tbody").replaceChildren(...trs);
}

function touched() {
  review.dirty = true;
  drawReview();
}

function join(k) {
  const { rows, langs } = review;
  if (k + 1 >= rows.length) return;
  for (const l of langs) rows[k].sentences[l] = (rows[k].sentences[l] || []).concat(rows[k + 1].sentences[l] || []);
  rows[k].confidence = null;
  rows.splice(k + 1, 1);
  touched();
}

function split(k, lang, i) {
  const { rows, langs } = review;
  const a = rows[k];
  const b = { confidence: null, sentences: {} };
  for (const l of langs) b.sentences[l] = [];
  b.sentences[lang] = a.sentences[lang].splice(i);
  a.confidence = null;
  rows.splice(k + 1, 0, b);
  touched();
}

function move(k, lang, i, dir) {
  const { rows } = review;
  const to = k + dir;
  if (to < 0 || to >= rows.length) return;
  const [s] = rows[k].sentences[lang].splice(i, 1);
  const dest = rows[to].sentences[lang] || (rows[to].sentences[lang] = []);
  if (dir < 0) dest.push(s); else dest.unshift(s);
  rows[k].confidence = rows[to].confidence = null;
  touched();
}

function del(k) {
  review.rows.splice(k, 1);
  touched();
}

async function saveReview() {
  const { doc, langs, rows } = review;
  const units = rows
    .map((u) => Object.fromEntries(langs.map((l) => [l, (u.sentences[l] || []).join(l.startsWith("zh") ? "" : " ")])))
    .filter((u) => Object.values(u).filter((t) => t.trim()).length >= 1);
  try {
    await api(`/api/documents/${encodeURIComponent(doc)}/units`, { method: "PUT", json: { langs, units } });
    await loadUnits();
    status("review saved");
  } catch (e) {
    $("#d-error").textContent = e.message;
  }
}

// ---------------------------------------------------------------------------
// Tabs, the token, wiring

function show(view) {
  for (const b of document.querySelectorAll(".tabs button")) b.setAttribute("aria-selected", String(b.dataset.view === view));
  for (const v of ["search", "glossary", "documents"]) $("#view-" + v).hidden = v !== view;
  if (view === "glossary") loadGlossary();
  if (view === "documents") loadDocuments();
  if (view === "search") $("#q").focus();
}

function openKey() {
  $("#key-input").value = state.token;
  $("#key-dialog").showModal();
}

$("#key-dialog").addEventListener("close", () => {
  const v = $("#key-dialog").returnValue;
  if (v === "save") state.token = $("#key-input").value.trim();
  if (v === "clear") state.token = "";
  if (v === "save" || v === "clear") {
    if (state.token) localStorage.setItem("polytm-token", state.token);
    else localStorage.removeItem("polytm-token");
    start();
  }
});

for (const b of document.querySelectorAll(".tabs button")) b.addEventListener("click", () => show(b.dataset.view));
$("#search-form").addEventListener("submit", search);
// a new pair answers the query already asked (and keeps the focus in the field)
function pairChanged() {
  localStorage.setItem("polytm-pair", JSON.stringify([$("#from").value, $("#to").value]));
  if (!$("#results").hidden && $("#q").value.trim()) search();
}
$("#from").addEventListener("change", pairChanged);
$("#to").addEventListener("change", pairChanged);
$("#swap").addEventListener("click", () => {
  const f = $("#from").value;
  $("#from").value = $("#to").value;
  $("#to").value = f;
  pairChanged();
  $("#q").focus();
});
$("#key").addEventListener("click", openKey);
// "/" anywhere but in a field: back to the search field
document.addEventListener("keydown", (ev) => {
  if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const t = ev.target;
  if (t.closest && t.closest("input, textarea, select, dialog, [contenteditable]")) return;
  ev.preventDefault();
  if ($("#view-search").hidden) show("search");
  $("#q").focus();
  $("#q").select();
});
for (const ev of ["input", "change", "search"]) $("#g-filter").addEventListener(ev, filterGlossary);
$("#g-lang").addEventListener("change", filterGlossary);
$("#g-add").addEventListener("click", () => openEditor(null));
$("#g-cancel").addEventListener("click", () => { $("#g-form").hidden = true; });
$("#g-form").addEventListener("submit", saveConcept);
$("#d-doc").addEventListener("change", loadUnits);
$("#d-low").addEventListener("change", drawReview);
$("#d-save").addEventListener("click", saveReview);
$("#d-discard").addEventListener("click", loadUnits);
// a review not saved is not lost by a mistake
window.addEventListener("beforeunload", (ev) => {
  if (review && review.dirty) ev.preventDefault();
});

start();
