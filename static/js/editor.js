// The article editor: select words, mark a claim, edit it, re-place it when the text changed
// under it, talk about it in notes, move it through review, and find related coverage.
// The server owns the rules: what a user may do with a claim comes with the claim (its
// `allowed_transitions` and `can_edit`), labels come with the page. This module draws.
import { api, errorLines } from "./api.js";
import { announce, el, fill, link } from "./dom.js";
import { drawHighlights } from "./highlights.js";
import { Suggestions } from "./suggestions.js";
import { Text, selectUnits, selectedUnits, unitOffset } from "./text.js";

performance.mark("editor-start");
const data = JSON.parse(document.getElementById("editor-data").textContent);
const articleEl = document.getElementById("article-text");
const listEl = document.getElementById("claims");
const countEl = document.getElementById("claims-count");
const panelEl = document.getElementById("claim-panel");
const formEl = document.getElementById("claim-form");
const markButton = document.getElementById("mark-claim");
const chooserEl = document.getElementById("chooser");
const verdictsBySlug = new Map(data.verdicts.map((v) => [v.slug, v]));
const needsAttention = new Set(data.needs_attention);
const claims = new Map(data.claims.map((claim) => [claim.id, claim]));
const POLL_MS = 1000;

let text = new Text(articleEl.textContent);
let selectedId = null;
let full = null; // the full record of the selected claim, from the API
let pending = null; // the selection a claim would be made from: code points, snapped
let editing = null; // {id, version} while the form edits an existing claim
let marking = null; // the words a new claim in the form is made from
let formDirty = false;
const suggestions = new Suggestions({ articleId: data.article.id,
  onChange: () => redrawSuggestions(), onAccept: acceptSuggestion });
let drawnSuggestions = ""; // which suggested sentences the text shows now

// -- places and labels ----------------------------------------------------------------------

function placeOf(claim) {
  if (claim.anchor_state === "changed" && claim.proposal) return claim.proposal;
  if (claim.anchor_state === "orphaned") return null;
  return claim;
}

const verdictLabel = (slug) => (slug && verdictsBySlug.has(slug) ?
  verdictsBySlug.get(slug).label : "No verdict yet");
const verdictClass = (slug) => `verdict verdict-${slug || "none"}`;
const statusLabel = (status) => data.status_labels[status] || status;

function sortedClaims() {
  const key = (claim) => {
    const place = placeOf(claim);
    return place ? place.start : Number.MAX_SAFE_INTEGER;
  };
  return [...claims.values()].sort((a, b) => key(a) - key(b) || a.id - b.id);
}

function compactOf(record) {
  return {
    id: record.id,
    exact: record.selector.exact,
    start: record.selector.start,
    end: record.selector.end,
    proposal: record.proposed_selector,
    claimant: record.claimant,
    verdict: record.verdict ? record.verdict.slug : null,
    status: record.status,
    anchor_state: record.anchor_state,
    assignee: record.assignee,
    note_count: record.note_count,
    version: record.version,
  };
}

function remember(record) {
  claims.set(record.id, compactOf(record));
  if (record.id === selectedId) full = record;
}

// -- drawing ----------------------------------------------------------------------------------

function drawText() {
  const spans = [];
  for (const claim of claims.values()) {
    const place = placeOf(claim);
    if (!place) continue;
    const attention = needsAttention.has(claim.anchor_state) ? " attention" : "";
    const selected = claim.id === selectedId ? " selected" : "";
    spans.push({ id: claim.id, start: text.unitOf(place.start), end: text.unitOf(place.end),
      className: `verdict-${claim.verdict || "none"}${attention}${selected}` });
  }
  const shown = suggestions.shown();
  const sentences = shown.map((s) => ({ n: s.n, start: text.unitOf(s.start),
    end: text.unitOf(s.end), title: `Suggested claim, score ${s.score.toFixed(2)}` }));
  drawHighlights(articleEl, text.text, spans, sentences);
  drawnSuggestions = suggestionsKey(shown);
}

const suggestionsKey = (shown) => shown.map((s) => `${s.n}:${s.start}:${s.end}`).join(",");

/** Suggestions arrive (or change) while the person may be selecting words: draw the text
 * again only when the underlined sentences changed, and keep the selection or caret. */
function redrawSuggestions() {
  if (suggestionsKey(suggestions.shown()) === drawnSuggestions) return;
  const units = selectedUnits(articleEl);
  drawText();
  if (units) selectUnits(articleEl, units.start, units.end);
}

function card(claim) {
  const attention = needsAttention.has(claim.anchor_state);
  const button = el("button", { type: "button", class: "card", "data-claim-id": claim.id,
    "aria-current": claim.id === selectedId ? "true" : null,
    onclick: () => select(claim.id, { scroll: true }) },
    el("span", { class: "card-quote", text: `“${claim.exact}”` }),
    el("span", { class: "card-meta" },
      el("span", { class: verdictClass(claim.verdict), text: verdictLabel(claim.verdict) }),
      claim.claimant ? el("span", { class: "claimant", text: claim.claimant }) : null),
    el("span", { class: "card-badges" },
      el("span", { class: `badge status-${claim.status}`, text: statusLabel(claim.status) }),
      attention ? el("span", { class: "badge attention", text: "Needs attention" }) : null,
      claim.note_count ? el("span", { class: "badge",
        text: `${claim.note_count} note${claim.note_count === 1 ? "" : "s"}` }) : null,
      claim.assignee ? el("span", { class: "badge", text: `Assigned to ${claim.assignee}` }) :
        null));
  return el("li", {}, button);
}

function drawList() {
  const items = sortedClaims().map(card);
  listEl.replaceChildren(...items);
  countEl.textContent = `(${items.length})`;
  if (!items.length) listEl.append(el("li", { class: "empty", text: "No claims yet." }));
}

function redraw() {
  drawText();
  drawList();
}

// -- selecting a claim ------------------------------------------------------------------------

async function select(id, { scroll = false } = {}) {
  closeChooser();
  if (!closeForm()) return;
  selectedId = id;
  full = null;
  drawList();
  articleEl.querySelectorAll("mark.selected").forEach((m) => m.classList.remove("selected"));
  const marks = articleEl.querySelectorAll(`mark[data-claim-id="${id}"]`);
  marks.forEach((m) => m.classList.add("selected"));
  panelEl.replaceChildren(el("h2", { id: "panel-heading", text: `Claim ${id}` }),
    el("p", { class: "muted", role: "status", text: "Loading…" }));
  panelEl.hidden = false;
  // Side by side, the text scrolls to the claim's words beside its panel; in one column (a
  // phone) the panel is below the list, and that is where the person is going.
  const oneColumn = panelEl.getBoundingClientRect().top >= articleEl.getBoundingClientRect().bottom;
  if (scroll && oneColumn) panelEl.scrollIntoView({ block: "start" });
  else if (scroll && marks.length) marks[0].scrollIntoView({ block: "center" });
  const result = await api("GET", `/api/v1/claims/${id}/`);
  if (selectedId !== id) return;
  if (!result.ok) {
    panelEl.replaceChildren(el("h2", { id: "panel-heading", text: `Claim ${id}` }),
      el("p", { class: "error", role: "alert", text: errorLines(result.data).join("; ") }));
    return;
  }
  remember(result.data);
  showPanel();
}

function showPanel() {
  const claim = full;
  const actions = el("div", { class: "actions" });
  const add = (label, handler, attrs = {}) => actions.append(el("button",
    { type: "button", onclick: handler, text: label, ...attrs }));
  if (claim.can_edit) {
    add("Edit", () => openForm(claim));
    add("Delete", () => removeClaim(claim));
  }
  // A move that needs a reason or a confirmation opens its form under the buttons (one at a
  // time; Cancel or Esc closes it back to its button); the others are made at once.
  const forms = [];
  const open = (form, first) => {
    for (const other of forms) {
      other.hidden = other !== form;
      moveFormOpener(other).setAttribute("aria-expanded", String(other === form));
    }
    form.querySelector(first).focus();
  };
  for (const move of claim.allowed_transitions) {
    const form = move.needs_reason ? transitionReasonForm(claim, move)
      : move.confirm ? transitionConfirmForm(claim, move) : null;
    if (!form) {
      add(move.label, () => transition(claim, move.to));
      continue;
    }
    forms.push(form);
    add(move.label, () => open(form, move.needs_reason ? "textarea" : "button[type=submit]"),
      { "aria-controls": form.id, "aria-expanded": "false" });
  }
  const admin = data.user.is_reviewer ? el("p", {}, el("a", {
    href: data.admin_claim_url.replace("/0/", `/${claim.id}/`), text: "Open in admin" })) : null;
  fill(panelEl,
    el("h2", { id: "panel-heading", text: `Claim ${claim.id}` }),
    attentionBox(claim),
    el("blockquote", { class: "quote", text: claim.selector.exact }),
    el("dl", { class: "details" },
      el("dt", { text: "Verdict" }),
      el("dd", {}, el("span", { class: verdictClass(claim.verdict && claim.verdict.slug),
        text: claim.verdict ? claim.verdict.label : "No verdict yet" })),
      el("dt", { text: "Status" }), el("dd", {}, el("span", {
        class: `badge status-${claim.status}`, text: statusLabel(claim.status) })),
      el("dt", { text: "Claimant" }), el("dd", { text: claim.claimant || "—" }),
      el("dt", { text: "Claim date" }), el("dd", { text: claim.claim_date || "—" }),
      el("dt", { text: "Assigned to" }), el("dd", { text: claim.assignee || "—" }),
      el("dt", { text: "Summary" }), el("dd", { class: "summary", text: claim.summary || "—" })),
    el("h3", { text: "Sources" }),
    claim.sources.length ? el("ul", { class: "sources" }, ...claim.sources.map((source) =>
      el("li", {}, link(source.url, source.title || source.url),
        el("span", { class: "muted", text: ` (${relationLabel(source.relation)})` }))))
      : el("p", { class: "muted", text: "None yet." }),
    actions, ...forms, admin, notesSection(claim), relatedSection(claim));
  panelEl.hidden = false;
}

function relationLabel(value) {
  const relation = data.source_relations.find((r) => r.value === value);
  return relation ? relation.label.toLowerCase() : value;
}

function flash(message, isError = false) {
  const note = el("p", { class: isError ? "error" : "message", role: isError ? "alert" : "status",
    text: message });
  panelEl.querySelector("h2").after(note);
}

// -- a claim whose words changed: accept the proposal or place it again ----------------------

function attentionBox(claim) {
  if (!needsAttention.has(claim.anchor_state)) return null;
  const box = el("div", { class: "attention-box", role: "note" });
  if (claim.anchor_state === "changed" && claim.proposed_selector) {
    box.append(el("p", { text: "The article's text changed under this claim. Its quote is " +
      "kept as it was said; the edited words now read:" }),
    el("blockquote", { class: "quote proposed", text: claim.proposed_selector.exact }));
    if (claim.can_edit) {
      box.append(el("button", { type: "button", text: "Accept proposed words",
        onclick: () => placeAgain(claim, claim.proposed_selector, false) }));
    }
  } else {
    box.append(el("p", { text: "The words of this claim are gone from the article's text. " +
      "Select the words it should mark, then place it there: its verdict, summary and " +
      "sources stay." }));
  }
  if (claim.can_edit) {
    box.append(el("button", { type: "button", class: "place-here", text: "Place on selected words",
      onclick: () => {
        if (!pending) {
          flash("Select the claim's words in the text first.", true);
          return;
        }
        placeAgain(claim, pending, pending.exact_characters);
      } }));
  }
  return box;
}

async function placeAgain(claim, place, exactCharacters) {
  const result = await api("PATCH", `/api/v1/claims/${claim.id}/`, {
    version: claim.version,
    selector: { exact: place.exact, start: place.start, end: place.end },
    exact_characters: exactCharacters,
  });
  if (!result.ok) {
    if (result.status === 409 && result.data.current) remember(result.data.current);
    flash(errorLines(result.data).join("; "), true);
    return;
  }
  clearPending();
  remember(result.data);
  redraw();
  showPanel();
  announce(`Claim ${claim.id} placed on “${result.data.selector.exact}”.`);
}

// -- review -----------------------------------------------------------------------------------

function transitionReasonForm(claim, move) {
  const id = `reason-${move.to}`;
  const reason = el("textarea", { id, name: "reason", rows: "2", required: true });
  const form = el("form", { id: `move-${move.to}`, class: "stacked reason-form move-form",
    hidden: true, onsubmit: (event) => {
    event.preventDefault();
    if (!reason.value.trim()) {
      reason.setAttribute("aria-invalid", "true");
      reason.focus();
      return;
    }
    transition(claim, move.to, reason.value);
  } },
  el("label", { for: id, text: `Reason (${move.label.toLowerCase()})` }), reason,
  el("div", { class: "actions" }, el("button", { type: "submit", text: move.label }),
    el("button", { type: "button", text: "Cancel", onclick: () => closeMoveForm(form) })));
  return form;
}

function transitionConfirmForm(claim, move) {
  const question = el("p", { id: `confirm-${move.to}`, text: move.confirm });
  const form = el("form", { id: `move-${move.to}`, class: "stacked confirm-form move-form",
    hidden: true, "aria-labelledby": question.id, onsubmit: (event) => {
      event.preventDefault();
      transition(claim, move.to);
    } },
  question,
  el("div", { class: "actions" },
    el("button", { type: "submit", text: `Yes, ${move.label.toLowerCase()}` }),
    el("button", { type: "button", text: "Cancel", onclick: () => closeMoveForm(form) })));
  return form;
}

function moveFormOpener(form) {
  return panelEl.querySelector(`[aria-controls="${form.id}"]`);
}

function closeMoveForm(form) {
  form.hidden = true;
  const opener = moveFormOpener(form);
  opener.setAttribute("aria-expanded", "false");
  opener.focus();
}

// The claim an action answered with: kept and drawn, and what happened said aloud; a refusal
// is shown instead. Returns whether the action was done.
function showActionResult(result, describe) {
  if (!result.ok) {
    flash(errorLines(result.data).join("; "), true);
    return false;
  }
  remember(result.data);
  redraw();
  showPanel();
  const message = describe(result.data);
  flash(message); // seen on the panel, and said by its status role
  focusPanel();
  return true;
}

// After an action the keyboard goes on from the claim's panel, not from the top of the page;
// unless, meanwhile, the person has already gone on somewhere (clicked into the text, say).
function focusPanel() {
  const active = document.activeElement;
  const lost = !active || active === document.body || active.closest("[hidden]");
  if (!lost && !panelEl.contains(active)) return;
  const heading = panelEl.querySelector("#panel-heading");
  if (!heading || panelEl.hidden) {
    articleEl.focus();
    return;
  }
  heading.setAttribute("tabindex", "-1");
  heading.focus();
}

async function transition(claim, to, reason = "") {
  const result = await api("POST", `/api/v1/claims/${claim.id}/transition/`, { to, reason });
  showActionResult(result,
    (done) => `Claim ${claim.id} is now ${statusLabel(done.status).toLowerCase()}.`);
}

async function removeClaim(claim) {
  if (!window.confirm(`Delete the claim “${claim.selector.exact.slice(0, 80)}”?`)) return;
  const result = await api("DELETE", `/api/v1/claims/${claim.id}/`);
  if (!result.ok) {
    flash(errorLines(result.data).join("; "), true);
    return;
  }
  claims.delete(claim.id);
  selectedId = null;
  full = null;
  panelEl.hidden = true;
  redraw();
  suggestions.load();
  announce("Claim deleted.");
}

// -- notes ------------------------------------------------------------------------------------

function notesSection(claim) {
  const list = el("ol", { class: "notes", "aria-label": "Notes" });
  const text = el("textarea", { id: "note-text", name: "text", rows: "2", required: true });
  const error = el("p", { class: "error", role: "alert", hidden: true });
  const form = el("form", { class: "stacked note-form", onsubmit: async (event) => {
    event.preventDefault();
    if (!text.value.trim()) return;
    const result = await api("POST", `/api/v1/claims/${claim.id}/notes/`, { text: text.value });
    if (!result.ok) {
      error.textContent = errorLines(result.data).join("; ");
      error.hidden = false;
      return;
    }
    error.hidden = true;
    text.value = "";
    list.querySelector(".empty")?.remove();
    list.append(noteItem(result.data));
    const compact = claims.get(claim.id);
    compact.note_count += 1;
    drawList();
    announce("Note added.");
  } }, el("label", { for: "note-text", text: "Note" }), text, error,
  el("div", { class: "actions" }, el("button", { type: "submit", text: "Add note" })));
  const section = el("section", { class: "notes-section", "aria-labelledby": "notes-heading" },
    el("h3", { id: "notes-heading", text: "Notes" }), list, form);
  loadNotes(claim, list);
  return section;
}

// Dates as the pages write them ("5 Dec 2026"), with the time: not the browser's locale.
const NOTE_TIME = new Intl.DateTimeFormat("en-GB", {
  day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });

function noteItem(note) {
  const when = new Date(note.created_at);
  const sentBack = note.transition === "draft";
  return el("li", { class: sentBack ? "note sent-back" : "note" },
    el("p", { class: "note-head" },
      el("strong", { text: note.author || "someone" }),
      sentBack ? el("span", { class: "badge attention", text: "Sent back" }) : null,
      el("time", { datetime: note.created_at, text: ` ${NOTE_TIME.format(when)}` })),
    el("p", { class: "note-text", text: note.text }));
}

async function loadNotes(claim, list) {
  let url = `/api/v1/claims/${claim.id}/notes/?page_size=100`;
  const notes = [];
  while (url) {
    const result = await api("GET", url);
    if (!result.ok) break;
    notes.push(...result.data.results);
    url = result.data.next;
  }
  if (selectedId !== claim.id) return;
  list.replaceChildren(...notes.map(noteItem));
  if (!notes.length) list.append(el("li", { class: "muted empty", text: "No notes yet." }));
}

// -- related coverage -------------------------------------------------------------------------

function relatedSection(claim) {
  const status = el("p", { class: "muted", role: "status", id: "related-status" });
  const results = el("ol", { class: "matches", "aria-label": "Related coverage" });
  // Each search shown, and each decision made, starts a new generation: an answer to a
  // request sent before it is stale (an older poll must not undo a decision just made).
  results.generation = 0;
  const section = el("section", { class: "related", "aria-labelledby": "related-heading" },
    el("h3", { id: "related-heading", text: "Related coverage" }),
    el("button", { type: "button", text: "Find related coverage",
      onclick: () => findRelated(claim, status, results) }), status, results);
  loadRelated(claim, status, results);
  return section;
}

async function loadRelated(claim, status, results) {
  const generation = results.generation;
  const result = await api("GET", `/api/v1/claims/${claim.id}/related/`);
  if (selectedId !== claim.id || results.generation !== generation) return;
  if (result.status === 404) {
    status.textContent = "No search yet.";
    return;
  }
  if (!result.ok) {
    status.textContent = errorLines(result.data).join("; ");
    return;
  }
  showSearch(claim, result.data, status, results);
}

async function findRelated(claim, status, results) {
  status.textContent = "Queuing a search…";
  results.replaceChildren(); // the earlier search's matches are not this one's
  const generation = ++results.generation;
  const result = await api("POST", `/api/v1/claims/${claim.id}/related/`);
  if (results.generation !== generation) return;
  if (!result.ok) {
    status.textContent = `Could not queue a search: ${errorLines(result.data).join("; ")}`;
    return;
  }
  showSearch(claim, result.data, status, results);
}

function showSearch(claim, search, status, results) {
  // Matches no closer to the claim than the average candidate (the server says which) are
  // shown apart, folded, so unrelated articles do not read as equals of the real finds.
  const strong = search.matches.filter((match) => !match.weak);
  const weak = search.matches.filter((match) => match.weak);
  const matches = (n, kind = "") => `${n} ${kind}${n === 1 ? "match" : "matches"}`;
  const found = `Done: ${matches(strong.length)}` +
    (weak.length ? `, and ${weak.length} weaker.` : ".");
  const words = { queued: "Queued: waiting for a worker…", running: "Searching…",
    succeeded: found, failed: `Failed: ${search.error}` };
  status.textContent = words[search.status] || search.status;
  fill(results, ...strong.map((match) => matchItem(claim, match, results)),
    weak.length ? el("li", { class: "weaker" }, el("details", {},
      el("summary", { text: `${matches(weak.length, "weaker ")}: little in common with the claim` }),
      el("ol", { class: "matches", "aria-label": "Weaker related coverage" },
        ...weak.map((match) => matchItem(claim, match, results))))) : null);
  if (search.status === "queued" || search.status === "running") {
    const generation = results.generation;
    window.setTimeout(() => {
      if (selectedId === claim.id && results.generation === generation) {
        loadRelated(claim, status, results);
      }
    }, POLL_MS);
  }
}

function snippetNode(snippet) {
  // The search marks matched words with [[ and ]]; everything else is plain text.
  const node = el("p", { class: "snippet" });
  snippet.split(/(\[\[.*?\]\])/).forEach((part) => {
    if (part.startsWith("[[") && part.endsWith("]]")) node.append(el("b", { text: part.slice(2, -2) }));
    else node.append(part);
  });
  return node;
}

// The same claim checked again elsewhere, folded under the best-ranked check by the server.
function alsoCheckedNode(others) {
  if (!others.length) return null;
  return el("p", { class: "also-checked" }, el("span", { class: "muted", text: "Also checked: " }),
    ...others.flatMap((other, index) => [
      index ? ", " : null,
      link(other.link, other.title),
      other.verdict ? el("span", { class: "muted", text: ` (${other.verdict.label})` }) : null,
    ]));
}

function matchItem(claim, match, results) {
  const date = match.article.published_at ? match.article.published_at.slice(0, 10) : "";
  const prior = match.prior_claim;
  const decisionLabel = (value) => data.decision_labels[value || ""];
  const decision = el("span", { class: "badge", text: decisionLabel(match.decision) });
  const titleId = `match-title-${match.id}`;
  const decide = (value) => async () => {
    results.generation += 1;
    const result = await api("POST", `/api/v1/matches/${match.id}/decision/`, { decision: value });
    if (!result.ok) return;
    decision.textContent = decisionLabel(result.data.decision);
    item.classList.toggle("dismissed", result.data.decision === "dismissed");
  };
  const addSource = async () => {
    if (claim.changes_send_back && !window.confirm(`Claim ${claim.id} is ` +
      `${statusLabel(claim.status).toLowerCase()}: a new source sends it back to draft, ` +
      "for review again. Add the source?")) return;
    const result = await api("POST", `/api/v1/matches/${match.id}/source/`);
    showActionResult(result, (done) => done.status === claim.status
      ? "Added as a source (relation: context)."
      : `Added as a source (relation: context); the claim is ${
        statusLabel(done.status).toLowerCase()} again.`);
  };
  const item = el("li", { class: match.decision === "dismissed" ? "match dismissed" : "match" },
    el("p", { class: "match-title", id: titleId }, link(match.link, match.article.title),
      date ? el("span", { class: "muted", text: ` ${date}` }) : null),
    prior ? el("div", { class: "prior" },
      el("p", { class: "muted", text: "Earlier fact-check:" }),
      el("blockquote", { class: "quote", text: prior.exact }),
      el("p", {}, el("span", { class: verdictClass(prior.verdict && prior.verdict.slug),
        text: prior.verdict ? prior.verdict.label : "No verdict" }),
      prior.claimant ? el("span", { class: "muted", text: ` · ${prior.claimant}` }) : null))
      : snippetNode(match.snippet || ""),
    alsoCheckedNode(match.also_checked || []),
    el("div", { class: "actions" }, decision,
      el("button", { type: "button", text: "Confirm", onclick: decide("confirmed"),
        "aria-describedby": titleId }),
      el("button", { type: "button", text: "Dismiss", onclick: decide("dismissed"),
        "aria-describedby": titleId }),
      claim.can_edit ? el("button", { type: "button", text: "Add as source",
        onclick: addSource, "aria-describedby": titleId }) : null));
  return item;
}

// -- the claim form ---------------------------------------------------------------------------

function sourceRow(source = {}) {
  const index = formEl.querySelectorAll(".source-row").length;
  const id = (name) => `f-source-${name}-${index}`;
  const relation = el("select", { id: id("relation"), name: "relation" },
    ...data.source_relations.map(({ value, label }) => el("option", { value, text: label })));
  relation.value = source.relation ||
    (data.source_relations.find((r) => r.default) || data.source_relations[0]).value;
  const row = el("div", { class: "source-row" },
    el("label", { for: id("url"), text: "Source URL" }),
    el("input", { id: id("url"), name: "url", type: "url", value: source.url || "",
      inputmode: "url", autocomplete: "off" }),
    el("label", { for: id("title"), text: "Source title" }),
    el("input", { id: id("title"), name: "title", value: source.title || "" }),
    el("label", { for: relation.id, text: "Relation" }), relation,
    el("button", { type: "button", class: "link-button", text: "Remove source",
      onclick: () => { row.remove(); formDirty = true; } }));
  if (source.id) row.dataset.sourceId = source.id; // an edit names it; unshown fields are kept
  return row;
}

function resetForm() {
  formEl.reset();
  formEl.querySelector("#f-source-rows").replaceChildren();
  formEl.querySelector("#form-conflict").hidden = true;
  formEl.querySelector("#form-errors").hidden = true;
  editing = null;
  marking = null;
  formDirty = false;
}

/** Close the form; false when the person chose to keep editing. */
function closeForm({ force = false } = {}) {
  if (formEl.hidden) return true;
  if (formDirty && !force && !window.confirm("Discard the changes in the claim form?")) return false;
  resetForm();
  formEl.hidden = true;
  return true;
}

function openForm(claim = null) {
  if (!claim && !pending) {
    announce("Select the claim's words in the text first.");
    return;
  }
  if (!closeForm()) return;
  closeChooser();
  editing = claim ? { id: claim.id, version: claim.version } : null;
  marking = claim ? null : pending;
  formEl.querySelector("#claim-form-title").textContent = claim ? `Edit claim ${claim.id}` :
    "New claim";
  formEl.querySelector("#form-quote").textContent = claim ? claim.selector.exact : marking.exact;
  formEl.querySelector("#use-selection").hidden = Boolean(claim);
  formEl.querySelector("#form-sends-back").hidden = !(claim && claim.changes_send_back);
  formEl.querySelector("#form-status").textContent =
    claim ? statusLabel(claim.status).toLowerCase() : "";
  formEl.elements.claimant.value = claim ? claim.claimant : "";
  formEl.elements.claim_date.value = claim && claim.claim_date ? claim.claim_date : "";
  formEl.elements.verdict.value = claim && claim.verdict ? claim.verdict.slug : "";
  formEl.elements.summary.value = claim ? claim.summary : "";
  const rows = formEl.querySelector("#f-source-rows");
  const existing = claim && claim.sources.length ? claim.sources : [{}];
  existing.forEach((source) => rows.append(sourceRow(source)));
  markButton.hidden = true;
  panelEl.hidden = true; // the form shows the quote; the panel comes back on save or cancel
  formEl.hidden = false;
  formDirty = false;
  formEl.scrollIntoView({ block: "nearest" });
  formEl.elements.claimant.focus();
}

function formPayload() {
  const sources = [...formEl.querySelectorAll(".source-row")].map((row) => ({
    ...(row.dataset.sourceId ? { id: Number(row.dataset.sourceId) } : {}),
    url: row.querySelector("[name=url]").value.trim(),
    title: row.querySelector("[name=title]").value.trim(),
    relation: row.querySelector("[name=relation]").value,
  })).filter((source) => source.url || source.id);
  return {
    claimant: formEl.elements.claimant.value.trim(),
    claim_date: formEl.elements.claim_date.value || null,
    verdict: formEl.elements.verdict.value || null,
    summary: formEl.elements.summary.value,
    sources,
  };
}

async function saveClaim(event) {
  event.preventDefault();
  const errors = formEl.querySelector("#form-errors");
  const payload = formPayload();
  let result;
  if (editing) {
    result = await api("PATCH", `/api/v1/claims/${editing.id}/`,
      { ...payload, version: editing.version });
    if (result.status === 409 && result.data.code === "stale_version") {
      showConflict(result.data.current);
      return;
    }
  } else {
    const { exact, start, end } = marking;
    result = await api("POST", "/api/v1/claims/", { article: data.article.id,
      selector: { exact, ...text.context(start, end), start, end },
      exact_characters: marking.exact_characters, ...payload });
  }
  if (!result.ok) {
    errors.replaceChildren(errorLines(result.data).join("\n"));
    if (result.status === 409 && result.data.existing) {
      const existing = result.data.existing;
      remember(existing);
      errors.append(" ", el("button", { type: "button", class: "link-button",
        text: `Open claim ${existing.id}`, onclick: () => { closeForm({ force: true });
          select(existing.id, { scroll: true }); } }));
    }
    errors.hidden = false;
    return;
  }
  remember(result.data);
  const saved = editing ? "Claim saved." : `Claim ${result.data.id} marked.`;
  closeForm({ force: true });
  clearPending();
  window.getSelection().removeAllRanges();
  selectedId = result.data.id;
  redraw();
  suggestions.load(); // the sentence under the new claim is claimed now
  await select(result.data.id);
  focusPanel();
  announce(saved);
}

function showConflict(current) {
  // Keep everything typed; show what the other person saved; the next save is based on it.
  remember(current);
  editing.version = current.version;
  const note = formEl.querySelector("#form-conflict");
  const verdict = current.verdict ? current.verdict.label : "no verdict";
  note.textContent = `Someone else changed this claim (now version ${current.version}). ` +
    `Their version: claimant “${current.claimant}”, verdict ${verdict}, summary ` +
    `“${current.summary}”. Your changes are still in the form: Save claim again to replace ` +
    "theirs, or Cancel to keep theirs.";
  note.hidden = false;
  redraw();
}

// -- selecting words --------------------------------------------------------------------------

function clearPending() {
  pending = null;
  markButton.hidden = true;
}

/** The current selection as the quote a claim would get (snapped unless exact). */
function readSelection(exact) {
  const units = selectedUnits(articleEl);
  if (!units || units.collapsed) return null;
  const quote = text.quote(text.pointOf(units.start), text.pointOf(units.end), { exact });
  if (!quote) return null;
  return { ...quote, exact_characters: exact, rect: units.rect };
}

function offerMarkButton(exact = false) {
  const selection = readSelection(exact);
  if (!selection) {
    const units = selectedUnits(articleEl);
    if (!units || units.collapsed) clearPending();
    return;
  }
  pending = selection;
  markButton.style.setProperty("--top", `${window.scrollY + selection.rect.bottom + 6}px`);
  markButton.style.setProperty("--left", `${window.scrollX + selection.rect.left}px`);
  markButton.hidden = false;
}

function snapSelection(exact) {
  const selection = readSelection(exact);
  if (!selection) return;
  if (!exact) selectUnits(articleEl, text.unitOf(selection.start), text.unitOf(selection.end));
  offerMarkButton(exact);
}

function claimsAt(codePoint) {
  return sortedClaims().filter((claim) => {
    const place = placeOf(claim);
    return place && place.start <= codePoint && codePoint < place.end;
  });
}

function caretPoint() {
  const units = selectedUnits(articleEl);
  return units && units.collapsed ? text.pointOf(units.start) : null;
}

function openAt(codePoint, where) {
  if (codePoint === null) return;
  const found = claimsAt(codePoint);
  suggestions.closePop();
  if (found.length === 1) select(found[0].id);
  else if (found.length > 1) openChooser(found, where);
  else {
    closeChooser();
    const suggested = suggestions.at(codePoint);
    if (suggested) suggestions.openPop(suggested, where);
  }
}

/** Accept a suggested sentence: the claim form opens on its words (snapped to whole words);
 * other words selected in the text can replace them before saving. */
function acceptSuggestion(sentence) {
  const quote = text.quote(sentence.start, sentence.end);
  if (!quote) return;
  pending = { ...quote, exact_characters: false };
  openForm();
}

function openChooser(found, where) {
  chooserEl.replaceChildren(el("p", { text: "These words belong to several claims:" }),
    el("ul", {}, ...found.map((claim) => el("li", {}, el("button", { type: "button",
      onclick: () => { closeChooser(); select(claim.id); } },
    el("span", { class: "card-quote", text: `“${claim.exact}”` }),
    el("span", { class: "muted", text: ` ${claim.claimant || ""} · ${verdictLabel(claim.verdict)}` }))))),
  el("button", { type: "button", class: "link-button", text: "Close", onclick: closeChooser }));
  chooserEl.style.setProperty("--top", `${window.scrollY + where.bottom + 4}px`);
  chooserEl.style.setProperty("--left", `${window.scrollX + where.left}px`);
  chooserEl.hidden = false;
  chooserEl.querySelector("button").focus();
}

function closeChooser() {
  chooserEl.hidden = true;
}

// -- wiring -----------------------------------------------------------------------------------

// The text takes a caret and selections (contenteditable) but never changes.
for (const type of ["beforeinput", "paste", "drop", "cut", "dragstart"]) {
  articleEl.addEventListener(type, (event) => event.preventDefault());
}
let frame = 0;
document.addEventListener("selectionchange", () => {
  cancelAnimationFrame(frame);
  frame = requestAnimationFrame(() => offerMarkButton(pending ? pending.exact_characters : false));
});
articleEl.addEventListener("pointerup", (event) => {
  const where = { left: event.clientX, bottom: event.clientY };
  window.setTimeout(() => {
    const units = selectedUnits(articleEl);
    if (units && !units.collapsed) snapSelection(event.altKey);
    else openAt(caretPoint(), where);
  }, 0);
});
articleEl.addEventListener("keyup", (event) => {
  if (event.shiftKey || event.key === "Shift") offerMarkButton(event.altKey);
});
articleEl.addEventListener("keydown", (event) => {
  if (event.key === "Enter") {
    event.preventDefault();
    const units = selectedUnits(articleEl);
    openAt(caretPoint(), units ? units.rect : articleEl.getBoundingClientRect());
  }
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") {
    if (!suggestions.pop.hidden) suggestions.closePop({ focusText: true });
    else if (!chooserEl.hidden) {
      closeChooser();
      articleEl.focus();
    } else if (panelEl.querySelector(".move-form:not([hidden])")) {
      closeMoveForm(panelEl.querySelector(".move-form:not([hidden])"));
    } else if (!formEl.hidden && closeForm()) {
      if (full) showPanel();
      focusPanel();
    }
    return;
  }
  const typing = event.target.closest && event.target.closest("input, textarea, select");
  if (typing || event.ctrlKey || event.metaKey) return;
  if (event.key === "m" || event.key === "M") {
    offerMarkButton(event.altKey || Boolean(pending && pending.exact_characters));
    if (!pending) return;
    event.preventDefault();
    openForm();
  }
});
// Tabbing out of a pop-up (past its last button) closes it and returns to the text, rather
// than leaving the page.
for (const [popup, close] of [[chooserEl, closeChooser],
  [suggestions.pop, () => suggestions.closePop()]]) {
  popup.addEventListener("focusout", (event) => {
    if (popup.hidden || (event.relatedTarget && popup.contains(event.relatedTarget))) return;
    close();
    if (event.relatedTarget === null) articleEl.focus(); // Tab past its last button
  });
}
markButton.addEventListener("pointerdown", (event) => event.preventDefault());
markButton.addEventListener("click", () => openForm());
formEl.addEventListener("submit", saveClaim);
formEl.addEventListener("input", () => { formDirty = true; });
formEl.querySelector("#add-source").addEventListener("click", () => {
  formEl.querySelector("#f-source-rows").append(sourceRow());
  formDirty = true;
});
formEl.querySelector("#use-selection").addEventListener("click", () => {
  // A new claim's words, chosen again: what is selected in the text now.
  offerMarkButton(Boolean(pending && pending.exact_characters));
  if (!pending || (marking && pending.start === marking.start && pending.end === marking.end)) {
    announce("Select the claim's words in the text first.");
    return;
  }
  marking = pending;
  markButton.hidden = true;
  formEl.querySelector("#form-quote").textContent = marking.exact;
  formDirty = true;
  announce(`The claim will quote “${marking.exact}”.`);
});
formEl.querySelector("#cancel-claim").addEventListener("click", () => {
  if (!closeForm()) return;
  if (full) showPanel();
  focusPanel();
});
window.addEventListener("beforeunload", (event) => {
  if (!formEl.hidden && formDirty) {
    event.preventDefault();
    event.returnValue = ""; // older browsers need it set to ask
  }
});

async function start() {
  if (text.length !== data.article.length) {
    // The text as parsed from the page differs from the server's (it should not): use the
    // server's own copy, so that every offset is right.
    const result = await api("GET", `/api/v1/articles/${data.article.id}/`);
    if (result.ok) text = new Text(result.data.body);
  }
  formEl.elements.verdict.append(...data.verdicts.map((v) =>
    el("option", { value: v.slug, text: v.label })));
  redraw();
  performance.mark("highlights-drawn");
  performance.measure("editor-draw", "editor-start", "highlights-drawn");
  const linked = /^#claim-(\d+)$/.exec(window.location.hash); // from the admin or the desk
  if (linked && claims.has(Number(linked[1]))) select(Number(linked[1]), { scroll: true });
  document.body.dataset.editorReady = "true";
  // "Interactive": the frame after the highlights were drawn has been painted (timed from
  // navigation start by bench/editor_page.py).
  // Suggestions are asked for after that, so they never delay the first drawing.
  requestAnimationFrame(() => setTimeout(() => {
    performance.mark("editor-interactive");
    suggestions.load();
  }));
}

start();
