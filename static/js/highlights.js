// Drawing claims into the article text as <mark data-claim-id> elements. Overlapping and
// nested claims split the text into segments; each segment is wrapped in one mark per claim
// that covers it, the longest claim outermost. Marks are not controls (no tabindex, no
// role): the caret reaches them in the text and Enter opens them, and the Claims list is the
// way in by Tab, so the text box never nests interactive elements.

/** spans: [{id, start, end, className}] in UTF-16 units. */
export function drawHighlights(container, text, spans) {
  const cuts = new Set([0, text.length]);
  const startingAt = new Map();
  for (const span of spans) {
    if (span.end <= span.start) continue;
    cuts.add(span.start);
    cuts.add(span.end);
    if (!startingAt.has(span.start)) startingAt.set(span.start, []);
    startingAt.get(span.start).push({ ...span, length: span.end - span.start });
  }
  const points = [...cuts].sort((a, b) => a - b);
  const fragment = document.createDocumentFragment();
  let active = [];
  for (let i = 0; i < points.length - 1; i++) {
    const from = points[i];
    const to = points[i + 1];
    active = active.filter((span) => span.end > from);
    const starting = startingAt.get(from);
    if (starting) {
      active.push(...starting);
      active.sort((a, b) => b.length - a.length || a.id - b.id);
    }
    const piece = document.createTextNode(text.slice(from, to));
    if (!active.length) {
      fragment.append(piece);
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
    fragment.append(outer);
  }
  container.replaceChildren(fragment);
}
