// Drawing claims into the article text as <mark data-claim-id> elements. Overlapping and
// nested claims split the text into segments; each segment is wrapped in one mark per claim
// that covers it, the longest claim outermost. Marks are not controls (no tabindex, no
// role): the caret reaches them in the text and Enter opens them, and the Claims list is the
// way in by Tab, so the text box never nests interactive elements.
//
// Suggested sentences (never overlapping one another) wrap the segments they hold, outside
// the marks: one <span class="suggestion"> per sentence, named "Suggested claim", so claims
// inside or across a suggested sentence keep their marks and the text its characters.

/** spans: [{id, start, end, className}]; sentences: [{n, start, end, title}]; UTF-16 units. */
export function drawHighlights(container, text, spans, sentences = []) {
  const cuts = new Set([0, text.length]);
  const startingAt = new Map();
  for (const span of spans) {
    if (span.end <= span.start) continue;
    cuts.add(span.start);
    cuts.add(span.end);
    if (!startingAt.has(span.start)) startingAt.set(span.start, []);
    startingAt.get(span.start).push({ ...span, length: span.end - span.start });
  }
  const ordered = sentences.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  for (const sentence of ordered) {
    cuts.add(sentence.start);
    cuts.add(sentence.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const fragment = document.createDocumentFragment();
  let active = [];
  let next = 0; // the first sentence not yet passed
  let wrapper = null; // the element of the sentence being drawn
  for (let i = 0; i < points.length - 1; i++) {
    const from = points[i];
    const to = points[i + 1];
    active = active.filter((span) => span.end > from);
    const starting = startingAt.get(from);
    if (starting) {
      active.push(...starting);
      active.sort((a, b) => b.length - a.length || a.id - b.id);
    }
    while (next < ordered.length && ordered[next].end <= from) next++;
    const sentence = next < ordered.length && ordered[next].start <= from ? ordered[next] : null;
    let target = fragment;
    if (sentence) {
      if (!wrapper || wrapper.sentence !== sentence) {
        wrapper = suggestionElement(sentence);
        fragment.append(wrapper);
      }
      target = wrapper;
    } else {
      wrapper = null;
    }
    const piece = document.createTextNode(text.slice(from, to));
    if (!active.length) {
      target.append(piece);
      continue;
    }
    let outer = null;
    let inner = null;
    for (const span of active) {
      const mark = document.createElement("mark");
      mark.dataset.claimId = span.id;
      mark.className = span.className;
      if (inner) inner.append(mark);
      else outer = mark;
      inner = mark;
    }
    inner.append(piece);
    target.append(outer);
  }
  container.replaceChildren(fragment);
}

function suggestionElement(sentence) {
  const node = document.createElement("span");
  node.className = "suggestion";
  node.dataset.suggestion = sentence.n;
  // A named group, not a control: the text box holds no interactive element (see above).
  node.setAttribute("role", "group");
  node.setAttribute("aria-label", "Suggested claim");
  if (sentence.title) node.title = sentence.title;
  node.sentence = sentence;
  return node;
}
