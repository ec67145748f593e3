// Drawing claims into the article text as <mark data-claim-id> elements. Overlapping and
// nested claims split the text into segments; each segment is wrapped in one mark per claim
// that covers it, the longest claim outermost.

export function drawHighlights(container, text, claims, unitIndex, colourOf) {
  const spans = [];
  for (const claim of claims) {
    if (claim.anchor_state === "orphaned") continue;
    const start = unitIndex[claim.selector.start];
    const end = unitIndex[claim.selector.end];
    if (start === undefined || end === undefined || end <= start) continue;
    spans.push({ id: claim.id, start, end, length: end - start, colour: colourOf(claim) });
  }
  const cuts = new Set([0, text.length]);
  const startingAt = new Map();
  for (const span of spans) {
    cuts.add(span.start);
    cuts.add(span.end);
    if (!startingAt.has(span.start)) startingAt.set(span.start, []);
    startingAt.get(span.start).push(span);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const fragment = document.createDocumentFragment();
  const focusable = new Set();
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
      mark.style.setProperty("--claim-colour", span.colour);
      if (!focusable.has(span.id)) {
        // The first piece of each claim is where the keyboard reaches it.
        focusable.add(span.id);
        mark.tabIndex = 0;
        mark.setAttribute("role", "button");
        mark.setAttribute("aria-label", `Claim ${span.id}`);
      }
      if (inner) inner.append(mark);
      else outer = mark;
      inner = mark;
    }
    inner.append(piece);
    fragment.append(outer);
  }
  container.replaceChildren(fragment);
}
