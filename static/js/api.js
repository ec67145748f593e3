// Calls to /api/v1/ with the session cookie and Django's CSRF token.

function csrfToken() {
  const entry = document.cookie.split("; ").find((row) => row.startsWith("csrftoken="));
  return entry ? decodeURIComponent(entry.split("=")[1]) : "";
}

export async function api(method, url, body) {
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: {
      Accept: "application/json",
      "Content-Type": "application/json",
      "X-CSRFToken": csrfToken(),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  if (response.status !== 204) {
    try {
      data = await response.json();
    } catch {
      data = { detail: `The server answered ${response.status}.` };
    }
  }
  return { status: response.status, ok: response.ok, data, headers: response.headers };
}

/** A 4xx body as lines of "field: reason", however deeply the fields nest. */
export function errorLines(data, path = "") {
  if (data === null || data === undefined) return [];
  if (typeof data === "string") return [path ? `${path}: ${data}` : data];
  if (Array.isArray(data)) return data.flatMap((item, i) =>
    typeof item === "string" ? errorLines(item, path) : errorLines(item, `${path}[${i}]`));
  return Object.entries(data).flatMap(([key, value]) =>
    errorLines(value, key === "detail" ? path : path ? `${path}.${key}` : key));
}
