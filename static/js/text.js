// The article's text as the editor works with it. The server counts Unicode code points
// (Python str indices); the DOM counts UTF-16 code units. Every offset crosses that boundary
// here, and words are told apart by the same rule the server's anchoring.py uses.

const WORD = /[\p{L}\p{N}\p{M}]/u; // letters, digits, and the marks that belong to them
const HAS_WORD = /[\p{L}\p{N}]/u;

export class Text {
  constructor(text) {
    this.text = text;
    this.chars = Array.from(text); // code points
    // units[cp] = the UTF-16 offset of code point cp; one entry past the end.
    this.units = new Int32Array(this.chars.length + 1);
    // points[unit] = the code point at or after a UTF-16 offset.
    this.points = new Int32Array(text.length + 1);
    let unit = 0;
    this.chars.forEach((ch, cp) => {
      this.units[cp] = unit;
      this.points[unit] = cp;
      if (ch.length === 2) this.points[unit + 1] = cp + 1;
      unit += ch.length;
    });
    this.units[this.chars.length] = unit;
    this.points[unit] = this.chars.length;
  }

  get length() {
    return this.chars.length;
  }

  unitOf(codePoint) {
    return this.units[codePoint];
  }

  pointOf(unit) {
    return this.points[unit];
  }

  slice(start, end) {
    return this.chars.slice(start, end).join("");
  }

  isWord(cp) {
    return cp >= 0 && cp < this.chars.length && WORD.test(this.chars[cp]);
  }

  /** Whether a position falls between two characters of one word. */
  cutsWord(cp) {
    return cp > 0 && cp < this.chars.length && this.isWord(cp - 1) && this.isWord(cp);
  }

  /** [start, end) in code points, spaces trimmed and (unless exact) extended to whole words;
   * null when nothing with a letter or digit is left. */
  quote(start, end, { exact = false } = {}) {
    while (start < end && /\s/u.test(this.chars[start])) start++;
    while (end > start && /\s/u.test(this.chars[end - 1])) end--;
    if (!exact) {
      while (start > 0 && this.cutsWord(start)) start--;
      while (end < this.chars.length && this.cutsWord(end)) end++;
    }
    const words = this.slice(start, end);
    if (end <= start || !HAS_WORD.test(words)) return null;
    return { start, end, exact: words };
  }

  /** The W3C TextQuoteSelector context of [start, end). */
  context(start, end, length = 32) {
    return {
      prefix: this.slice(Math.max(0, start - length), start),
      suffix: this.slice(end, end + length),
    };
  }
}

/** The UTF-16 offset of a DOM position (node, offset) inside `container`'s text. */
export function unitOffset(container, node, offset) {
  const range = document.createRange();
  range.selectNodeContents(container);
  range.setEnd(node, offset);
  return range.toString().length;
}

/** The DOM position of a UTF-16 offset inside `container`'s text nodes. */
export function domPosition(container, unit) {
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  let seen = 0;
  let node = walker.nextNode();
  while (node) {
    const next = seen + node.length;
    if (unit <= next) return [node, unit - seen];
    seen = next;
    node = walker.nextNode();
  }
  return [container, container.childNodes.length];
}

/** The current selection inside `container` as UTF-16 offsets, or null. */
export function selectedUnits(container) {
  const selection = window.getSelection();
  if (!selection.rangeCount) return null;
  const range = selection.getRangeAt(0);
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) {
    return null;
  }
  const start = unitOffset(container, range.startContainer, range.startOffset);
  const end = unitOffset(container, range.endContainer, range.endOffset);
  return { start, end, collapsed: range.collapsed, rect: range.getBoundingClientRect() };
}

export function selectUnits(container, start, end) {
  const range = document.createRange();
  range.setStart(...domPosition(container, start));
  range.setEnd(...domPosition(container, end));
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}
