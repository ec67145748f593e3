// Suggested claims in the editor: the sentences the server flagged as worth checking (its top
// share by score, scored by a job, never on page load), underlined in the text and listed in
// the sidebar, each with Accept (the claim form on that sentence) and Dismiss. The server
// decides what is suggested and each sentence's status; this module fetches and draws.
import { api, errorLines } from "./api.js";
import { announce, el } from "./dom.js";

const HIDDEN_KEY = "factcheck.suggestions.hidden"; // remembered per browser
const POLL_MS = 2000;
const POLLS = 30; // a minute of asking while the job has not scored the text yet

const scoreText = (score) => `score ${score.toFixed(2)}`;

export class Suggestions {
  /** onChange(): the text must be drawn again; onAccept(sentence): open the claim form. */
  constructor({ articleId, onChange, onAccept }) {
    this.articleId = articleId;
    this.onChange = onChange;
    this.onAccept = onAccept;
    this.sentences = [];
    this.section = document.getElementById("suggestions");
    this.list = document.getElementById("suggestion-list");
    this.count = document.getElementById("suggestions-count");
    this.status = document.getElementById("suggestions-status");
    this.hint = document.getElementById("suggestions-hint");
    this.statusText = "";
    this.toggle = document.getElementById("show-suggestions");
    this.pop = document.getElementById("suggestion-pop");
    this.polls = 0;
    let hidden = false;
    try {
      hidden = window.localStorage.getItem(HIDDEN_KEY) === "true";
    } catch {
      // storage refused (private mode): suggestions show, the choice is not remembered
    }
    this.toggle.checked = !hidden;
    this.toggle.addEventListener("change", () => {
      try {
        window.localStorage.setItem(HIDDEN_KEY, String(!this.toggle.checked));
      } catch {
        // as above
      }
      this.closePop();
      this.drawList();
      this.onChange();
    });
  }

  get visible() {
    return this.toggle.checked;
  }

  /** The sentences to underline: suggested and still open, when suggestions are shown. */
  shown() {
    if (!this.visible) return [];
    return this.sentences.filter((s) => s.suggested && s.status === "open");
  }

  at(codePoint) {
    return this.shown().find((s) => s.start <= codePoint && codePoint < s.end) || null;
  }

  async load() {
    const result = await api("GET", `/api/v1/articles/${this.articleId}/suggestions/`);
    if (!result.ok) {
      this.statusText = `Suggestions could not be read: ${errorLines(result.data).join("; ")}`;
      this.drawList();
      return;
    }
    this.sentences = result.data;
    const pending = result.headers.get("Suggestions-Pending") === "true";
    const asking = pending && this.polls++ < POLLS;
    this.statusText = !pending ? "" : asking
      ? "Scoring the sentences of this text… (first picks by the cue heuristic meanwhile)"
      : "The picks shown are the cue heuristic's: the desk's model has not scored this text " +
        "yet. Reload later.";
    if (asking) window.setTimeout(() => this.load(), POLL_MS);
    this.drawList();
    this.onChange();
    if (!pending) performance.mark("suggestions-drawn"); // bench/editor_page.py reads it
  }

  drawList() {
    const shown = this.shown();
    // Hidden suggestions say nothing of themselves but the toggle that shows them.
    this.count.textContent = this.visible && this.sentences.length ?
      `(${this.sentences.filter((s) => s.suggested && s.status === "open").length})` : "";
    this.hint.hidden = !this.visible;
    this.status.textContent = this.visible ? this.statusText : "";
    this.list.hidden = !this.visible;
    this.list.replaceChildren(...shown.map((sentence) => this.card(sentence)));
    if (this.visible && !shown.length) {
      this.list.append(el("li", { class: "empty", text: "No open suggestions." }));
    }
  }

  card(sentence) {
    const quoteId = `suggestion-quote-${sentence.n}`;
    return el("li", { class: "suggestion-card", "data-suggestion": sentence.n },
      el("span", { class: "card-quote", id: quoteId, text: `“${sentence.text}”` }),
      el("span", { class: "muted", text: scoreText(sentence.score) }),
      el("span", { class: "actions" },
        el("button", { type: "button", text: "Accept", "aria-describedby": quoteId,
          onclick: () => this.accept(sentence) }),
        el("button", { type: "button", text: "Dismiss", "aria-describedby": quoteId,
          onclick: () => this.dismiss(sentence) })));
  }

  /** The sentence's card beside the text: near the words on a desktop, at the bottom of a
   * phone's screen. */
  openPop(sentence, where) {
    const quoteId = "suggestion-pop-quote";
    this.pop.replaceChildren(
      el("p", {}, el("strong", { text: "Worth checking?" }),
        el("span", { class: "muted", text: ` ${scoreText(sentence.score)}` })),
      el("blockquote", { class: "quote", id: quoteId, text: sentence.text }),
      el("div", { class: "actions" },
        el("button", { type: "button", text: "Accept", "aria-describedby": quoteId,
          onclick: () => this.accept(sentence) }),
        el("button", { type: "button", text: "Dismiss", "aria-describedby": quoteId,
          onclick: () => this.dismiss(sentence) }),
        el("button", { type: "button", class: "link-button", text: "Close",
          onclick: () => this.closePop({ focusText: true }) })));
    this.pop.style.setProperty("--top", `${window.scrollY + where.bottom + 4}px`);
    this.pop.style.setProperty("--left", `${window.scrollX + where.left}px`);
    this.pop.hidden = false;
    this.pop.querySelector("button").focus();
  }

  closePop({ focusText = false } = {}) {
    if (this.pop.hidden) return;
    this.pop.hidden = true;
    if (focusText) document.getElementById("article-text").focus();
  }

  accept(sentence) {
    this.closePop();
    this.onAccept(sentence);
  }

  async dismiss(sentence) {
    const wasOpen = !this.pop.hidden;
    const position = this.shown().indexOf(sentence); // focus stays at this place in the list
    const result = await api("POST",
      `/api/v1/articles/${this.articleId}/suggestions/${sentence.n}/dismiss/`);
    if (!result.ok) {
      this.statusText = `Could not dismiss: ${errorLines(result.data).join("; ")}`;
      this.drawList();
      return;
    }
    sentence.status = result.data.status;
    this.closePop({ focusText: wasOpen });
    const focused = this.list.contains(document.activeElement);
    this.drawList();
    this.onChange();
    if (focused) {
      const cards = this.list.querySelectorAll(".suggestion-card button");
      const next = cards[Math.min(position, cards.length / 2 - 1) * 2];
      (next || this.toggle).focus();
    }
    announce("Suggestion dismissed.");
  }
}
