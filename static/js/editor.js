// The article editor: select words, mark a claim, edit it, move it through review, and
// look for related coverage. All user text is set as textContent: nothing typed by anyone
// is ever parsed as HTML.
import { api, errorLines } from "./api.js";
import { codePointsBefore, unitIndexOf } from "./offsets.js";
import { drawHighlights } from "./highlights.js";

performance.mark("editor-start");
const data = JSON.parse(document.getElementById("editor-data").textContent);
const text = data.article.body;
const unitIndex = unitIndexOf(text);
const articleEl = document.getElementById("article-text");
const listEl = document.getElementById("claims");
const panelEl = document.getElementById("claim-panel");
const formEl = document.getElementById("claim-form");
const markButton = document.getElementById("mark-claim");
const claims = new Map(data.claims.map((claim) => [claim.id, claim]));
const STATUS_LABELS = data.status_labels;
const CONTEXT = 32;
let pendingSelector = null; // the selection a new claim will be made from
let editing = null; // {id, version} while the form edits an existing claim
let selectedId = null;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

const colourOf = (claim) => (claim.verdict && claim.verdict.colour) || "#9aa3b5";
const sortedClaims = () => [...claims.values()].sort((a, b) =>
  a.selector.start - b.selector.start || a.id - b.id);

// -- drawing ---------------------------------------------------------------------------------

function redraw() {
  drawHighlights(articleEl, text, sortedClaims(), unitIndex, colourOf);
  drawList();
  if (selectedId !== null && claims.has(selectedId)) showPanel(selectedId);
}

function drawList() {
  const items = sortedClaims().map((claim) => {
    const orphaned = claim.anchor_state === "orphaned";
    const button = el("button", { type: "button", class: "claim-item",
      "data-claim-id": claim.id, onclick: () => select(claim.id, { scroll: true }) },
      el("span", { class: "swatch", style: `background:${colourOf(claim)}` }),
      el("span", { class: "quote-text", text: claim.selector.exact }),
      el("span", { class: `badge status-${claim.status}`, text: STATUS_LABELS[claim.status] }),
      orphaned ? el("span", { class: "badge attention", text: "Needs attention: text changed" })
        : "");
    if (claim.id === selectedId) button.setAttribute("aria-current", "true");
    return el("li", {}, button);
  });
  listEl.replaceChildren(...items);
  if (!items.length) listEl.append(el("li", { class: "empty", text: "No claims yet." }));
}

function select(id, { scroll = false } = {}) {
  selectedId = id;
  formEl.hidden = true;
  drawList();
  showPanel(id);
  articleEl.querySelectorAll("mark.selected").forEach((m) => m.classList.remove("selected"));
  const marks = articleEl.querySelectorAll(`mark[data-claim-id="${id}"]`);
  marks.forEach((m) => m.classList.add("selected"));
  if (scroll && marks.length) marks[0].scrollIntoView({ block: "center", behavior: "smooth" });
}

function showPanel(id) {
  const claim = claims.get(id);
  const verdict = claim.verdict ? claim.verdict.label : "No verdict yet";
  const sources = claim.sources.map((source) => {
    const safe = /^https?:\/\//i.test(source.url);
    const link = safe ? el("a", { href: source.url, rel: "noopener noreferrer nofollow",
      target: "_blank", text: source.title || source.url }) : el("span", { text: source.url });
    return el("li", {}, link, el("span", { class: "muted", text: ` (${source.relation})` }));
  });
  const actions = el("div", { class: "actions" });
  const add = (label, handler) => actions.append(el("button", { type: "button",
    onclick: handler, text: label }));
  if (claim.can_edit) {
    add("Edit", () => openForm(claim));
    add("Delete", () => removeClaim(claim));
  }
  // The moves this user may make come with the claim, from the server's rules.
  const withReason = claim.allowed_transitions.find((t) => t.needs_reason);
  claim.allowed_transitions.filter((t) => !t.needs_reason)
    .forEach((t) => add(t.label, () => move(claim, t.to)));
  const sendBack = withReason ? sendBackForm(claim, withReason) : "";
  const adminLink = data.user.is_reviewer ? el("a", {
    href: data.admin_claim_url.replace("/0/", `/${claim.id}/`), text: "Open in admin" }) : "";
  panelEl.replaceChildren(
    el("h2", { text: `Claim ${claim.id}` }),
    el("blockquote", { class: "quote", text: claim.selector.exact }),
    claim.anchor_state === "orphaned" ? el("p", { class: "error", role: "status",
      text: "The article text changed and these words are gone: mark the claim again." }) : "",
    el("p", {}, el("span", { class: `badge status-${claim.status}`,
      text: STATUS_LABELS[claim.status] }), " ",
    el("span", { class: "verdict", style: `border-color:${colourOf(claim)}`, text: verdict })),
    el("dl", {},
      el("dt", { text: "Claimant" }), el("dd", { text: claim.claimant || "—" }),
      el("dt", { text: "Claim date" }), el("dd", { text: claim.claim_date || "—" }),
      el("dt", { text: "Summary" }), el("dd", { class: "summary", text: claim.summary || "—" })),
    el("h3", { text: "Sources" }),
    sources.length ? el("ul", {}, ...sources) : el("p", { class: "muted", text: "None yet." }),
    actions, sendBack, adminLink, relatedSection(claim));
  panelEl.hidden = false;
}

function sendBackForm(claim, transition) {
  const reason = el("input", { id: "send-back-reason", name: "reason", required: "" });
  return el("form", { class: "inline", onsubmit: (event) => {
    event.preventDefault();
    move(claim, transition.to, reason.value);
  } }, el("label", { for: "send-back-reason", text: "Reason" }), reason,
  el("button", { type: "submit", text: transition.label }));
}

function flash(message, isError = false) {
  const note = el("p", { class: isError ? "error" : "message", role: isError ? "alert" : "status",
    text: message });
  panelEl.prepend(note);
}

async function move(claim, to, reason = "") {
  const result = await api("POST", `/api/v1/claims/${claim.id}/transition/`, { to, reason });
  if (!result.ok) return flash(errorLines(result.data).join("; "), true);
  claims.set(claim.id, result.data);
  redraw();
}

async function removeClaim(claim) {
  if (!window.confirm(`Delete the claim “${claim.selector.exact.slice(0, 80)}”?`)) return;
  const result = await api("DELETE", `/api/v1/claims/${claim.id}/`);
  if (!result.ok) return flash(errorLines(result.data).join("; "), true);
  claims.delete(claim.id);
  selectedId = null;
  panelEl.hidden = true;
  redraw();
}

// -- related coverage ------------------------------------------------------------------------

function relatedSection(claim) {
  const status = el("p", { class: "muted", role: "status", id: "related-status" });
  const results = el("ol", { class: "matches", "aria-label": "Related coverage" });
  const section = el("section", { class: "related" }, el("h3", { text: "Related coverage" }),
    el("button", { type: "button", text: "Find related coverage",
      onclick: () => findRelated(claim, status, results) }), status, results);
  loadRelated(claim, status, results);
  return section;
}

async function loadRelated(claim, status, results) {
  const result = await api("GET", `/api/v1/claims/${claim.id}/related/`);
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
  const result = await api("POST", `/api/v1/claims/${claim.id}/related/`);
  if (!result.ok) {
    status.textContent = `Could not queue a search: ${errorLines(result.data).join("; ")}`;
    return;
  }
  showSearch(claim, result.data, status, results);
}

function showSearch(claim, search, status, results) {
  const words = { queued: "Queued: waiting for a worker…", running: "Searching…",
    succeeded: `Done: ${search.matches.length} match(es).`, failed: `Failed: ${search.error}` };
  status.textContent = words[search.status] || search.status;
  results.replaceChildren(...search.matches.map((match) => matchItem(match)));
  if (search.status === "queued" || search.status === "running") {
    setTimeout(() => {
      if (selectedId === claim.id) loadRelated(claim, status, results);
    }, 1000);
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

function matchItem(match) {
  const date = match.article.published_at ? match.article.published_at.slice(0, 10) : "";
  const verdict = match.prior_claim && match.prior_claim.verdict
    ? el("span", { class: "verdict", style: `border-color:${match.prior_claim.verdict.colour}`,
      text: match.prior_claim.verdict.label }) : "";
  const decision = el("span", { class: "badge", text: match.decision || "undecided" });
  const decide = (value) => async () => {
    const result = await api("POST", `/api/v1/matches/${match.id}/decision/`, { decision: value });
    if (result.ok) decision.textContent = result.data.decision;
  };
  return el("li", {}, el("strong", { text: match.article.title }), " ",
    el("span", { class: "muted", text: date }), " ", verdict, snippetNode(match.snippet || ""),
    el("div", { class: "actions" }, decision,
      el("button", { type: "button", text: "Confirm", onclick: decide("confirmed") }),
      el("button", { type: "button", text: "Dismiss", onclick: decide("dismissed") })));
}

// -- marking and editing ---------------------------------------------------------------------

function currentSelection() {
  const selection = window.getSelection();
  if (!selection.rangeCount || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!articleEl.contains(range.startContainer) || !articleEl.contains(range.endContainer)) {
    return null;
  }
  const before = document.createRange();
  before.selectNodeContents(articleEl);
  before.setEnd(range.startContainer, range.startOffset);
  let start = before.toString().length;
  let end = start + range.toString().length;
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  if (end <= start) return null;
  return {
    exact: text.slice(start, end),
    prefix: text.slice(Math.max(0, start - CONTEXT), start),
    suffix: text.slice(end, end + CONTEXT),
    start: codePointsBefore(text, start),
    end: codePointsBefore(text, end),
    rect: range.getBoundingClientRect(),
  };
}

function offerMarkButton() {
  const selector = currentSelection();
  if (!selector) {
    markButton.hidden = true;
    return;
  }
  pendingSelector = selector;
  markButton.style.top = `${window.scrollY + selector.rect.bottom + 6}px`;
  markButton.style.left = `${window.scrollX + selector.rect.left}px`;
  markButton.hidden = false;
}

function sourceRow(source = {}) {
  const index = formEl.querySelectorAll(".source-row").length;
  const relation = el("select", { id: `f-source-relation-${index}`, name: "relation" },
    ...data.source_relations.map(({ value, label }) => el("option", { value, text: label })));
  relation.value = source.relation ||
    (data.source_relations.find((r) => r.default) || data.source_relations[0]).value;
  const row = el("div", { class: "source-row" },
    el("label", { for: `f-source-url-${index}`, text: "Source URL" }),
    el("input", { id: `f-source-url-${index}`, name: "url", type: "url",
      value: source.url || "" }),
    el("label", { for: `f-source-title-${index}`, text: "Source title" }),
    el("input", { id: `f-source-title-${index}`, name: "title", value: source.title || "" }),
    el("label", { for: relation.id, text: "Relation" }), relation);
  if (source.id) row.dataset.sourceId = source.id; // an edit names it; unshown fields are kept
  return row;
}

function openForm(claim = null) {
  editing = claim ? { id: claim.id, version: claim.version } : null;
  const quote = claim ? claim.selector.exact : pendingSelector.exact;
  formEl.querySelector("#claim-form-title").textContent = claim ? `Edit claim ${claim.id}` :
    "New claim";
  formEl.querySelector("#form-quote").textContent = quote;
  formEl.querySelector("#form-conflict").hidden = true;
  formEl.querySelector("#form-errors").hidden = true;
  formEl.elements.claimant.value = claim ? claim.claimant : "";
  formEl.elements.claim_date.value = claim && claim.claim_date ? claim.claim_date : "";
  formEl.elements.verdict.value = claim && claim.verdict ? claim.verdict.slug : "";
  formEl.elements.summary.value = claim ? claim.summary : "";
  const sources = formEl.querySelector("#f-sources");
  sources.replaceChildren(el("legend", { text: "Sources" }));
  const existing = claim && claim.sources.length ? claim.sources : [{}];
  existing.forEach((source) => sources.append(sourceRow(source)));
  markButton.hidden = true;
  panelEl.hidden = !claim;
  formEl.hidden = false;
  formEl.elements.claimant.focus();
}

function formPayload() {
  const sources = [...formEl.querySelectorAll(".source-row")].map((row) => ({
    ...(row.dataset.sourceId ? { id: Number(row.dataset.sourceId) } : {}),
    url: row.querySelector("[name=url]").value.trim(),
    title: row.querySelector("[name=title]").value.trim(),
    relation: row.querySelector("[name=relation]").value,
  })).filter((source) => source.url);
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
  const payload = formPayload();
  const errors = formEl.querySelector("#form-errors");
  let result;
  if (editing) {
    result = await api("PATCH", `/api/v1/claims/${editing.id}/`,
      { ...payload, version: editing.version });
    if (result.status === 409) return showConflict(result.data.current);
  } else {
    const { exact, prefix, suffix, start, end } = pendingSelector;
    result = await api("POST", "/api/v1/claims/", { article: data.article.id,
      selector: { exact, prefix, suffix, start, end }, ...payload });
  }
  if (!result.ok) {
    errors.textContent = errorLines(result.data).join("\n");
    errors.hidden = false;
    return;
  }
  claims.set(result.data.id, result.data);
  editing = null;
  pendingSelector = null;
  formEl.hidden = true;
  window.getSelection().removeAllRanges();
  selectedId = result.data.id;
  redraw();
  select(result.data.id);
}

function showConflict(current) {
  // Keep everything typed; show what the other person saved; the next save is based on it.
  claims.set(current.id, current);
  editing.version = current.version;
  const note = formEl.querySelector("#form-conflict");
  const verdict = current.verdict ? current.verdict.label : "no verdict";
  note.textContent = `Someone else changed this claim (now version ${current.version}). ` +
    `Their version: claimant “${current.claimant}”, verdict ${verdict}, summary ` +
    `“${current.summary}”. Your changes are still in the form: Save claim again to replace ` +
    "theirs, or Cancel to keep theirs.";
  note.hidden = false;
  drawHighlights(articleEl, text, sortedClaims(), unitIndex, colourOf);
  drawList();
}

// -- wiring ------------------------------------------------------------------------------------

articleEl.addEventListener("mouseup", () => setTimeout(offerMarkButton, 0));
articleEl.addEventListener("keyup", offerMarkButton);
articleEl.addEventListener("click", (event) => {
  const mark = event.target.closest("mark[data-claim-id]");
  if (mark && window.getSelection().isCollapsed) select(Number(mark.dataset.claimId));
});
articleEl.addEventListener("keydown", (event) => {
  const mark = event.target.closest && event.target.closest("mark[data-claim-id]");
  if (mark && (event.key === "Enter" || event.key === " ")) {
    event.preventDefault();
    select(Number(mark.dataset.claimId));
  }
});
document.addEventListener("keydown", (event) => {
  const typing = event.target.closest && event.target.closest("input, textarea, select");
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "m" || event.key === "M") {
    const selector = currentSelection();
    if (selector) {
      event.preventDefault();
      pendingSelector = selector;
      openForm();
    }
  }
});
markButton.addEventListener("mousedown", (event) => event.preventDefault());
markButton.addEventListener("click", () => pendingSelector && openForm());
formEl.addEventListener("submit", saveClaim);
formEl.querySelector("#add-source").addEventListener("click", () =>
  formEl.querySelector("#f-sources").append(sourceRow()));
formEl.querySelector("#cancel-claim").addEventListener("click", () => {
  formEl.hidden = true;
  editing = null;
  if (selectedId !== null && claims.has(selectedId)) showPanel(selectedId);
});

formEl.elements.verdict.append(...data.verdicts.map((v) =>
  el("option", { value: v.slug, text: v.label })));
redraw();
const linked = /^#claim-(\d+)$/.exec(window.location.hash); // from the admin's "in the editor"
if (linked && claims.has(Number(linked[1]))) select(Number(linked[1]), { scroll: true });
performance.mark("highlights-drawn");
performance.measure("editor-draw", "editor-start", "highlights-drawn");
document.body.dataset.editorReady = "true";
