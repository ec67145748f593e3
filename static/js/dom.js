// A small element builder. Every piece of user text is set as textContent: nothing typed by
// anyone is ever parsed as HTML.

const present = (child) => child !== null && child !== undefined && child !== "";

/** Replace a node's children, skipping the absent ones (a section a claim does not have). */
export function fill(node, ...children) {
  node.replaceChildren(...children.filter(present));
  return node;
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...children.filter(present));
  return node;
}

const announcer = () => document.getElementById("announce");

/** Say something to screen readers (and nothing on screen). */
export function announce(message) {
  const node = announcer();
  if (!node) return;
  node.textContent = "";
  window.setTimeout(() => { node.textContent = message; }, 30);
}

export function isSafeLink(url) {
  return /^https?:\/\//i.test(url || "");
}

export function link(url, text, extra = {}) {
  if (!isSafeLink(url)) return el("span", { text });
  return el("a", { href: url, rel: "noopener noreferrer nofollow", target: "_blank", text,
    ...extra });
}
