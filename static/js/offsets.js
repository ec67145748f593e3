// The server counts Unicode code points (Python str indices); the DOM counts UTF-16 code
// units. Every offset crosses this boundary here and nowhere else.

/** unitIndex[cp] = the UTF-16 offset of code point cp; one entry past the end. */
export function unitIndexOf(text) {
  const units = new Int32Array(text.length + 1);
  let cp = 0;
  let unit = 0;
  for (const ch of text) {
    units[cp++] = unit;
    unit += ch.length;
  }
  units[cp] = unit;
  return units.subarray(0, cp + 1);
}

/** The code point offset of a UTF-16 offset into text. */
export function codePointsBefore(text, unitOffset) {
  let cp = 0;
  for (let i = 0; i < unitOffset; cp++) {
    i += text.codePointAt(i) > 0xffff ? 2 : 1;
  }
  return cp;
}
