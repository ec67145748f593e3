// A form marked data-warn-unsaved asks before the page is left with typed changes in it
// (the edit-text page: a long edit lost to a stray click is a morning lost).
for (const form of document.querySelectorAll("form[data-warn-unsaved]")) {
  let dirty = false;
  form.addEventListener("input", () => { dirty = true; });
  form.addEventListener("submit", () => { dirty = false; });
  window.addEventListener("beforeunload", (event) => {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = ""; // older browsers need it set to ask
  });
}
