// valetd's HTTP API, as the dashboard calls it: relative to the page, so that a proxy's path
// prefix is kept; with the API token the user gave (kept in sessionStorage, for this tab only).

const TOKEN_KEY = 'valet.token';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

// A refused or failed call: `status` is the HTTP status (0 when valetd could not be reached),
// the message valetd's own.
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// The page is served at <prefix>/ui/, the API at <prefix>/api/.
const base = new URL('../', document.baseURI);

async function send(method, path, body) {
  const headers = { Accept: 'application/json' };
  const bearer = token();
  if (bearer) headers.Authorization = 'Bearer ' + bearer;
  const init = { method, headers, credentials: 'omit', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let reply;
  try {
    reply = await fetch(new URL(path, base), init);
  } catch (error) {
    throw new ApiError(0, 'valetd cannot be reached (' + error.message + ')');
  }
  const text = await reply.text();
  if (!reply.ok) {
    let message = reply.statusText;
    try {
      message = JSON.parse(text).message || message;
    } catch {
      // not valetd's JSON error body: keep the status text
    }
    throw new ApiError(reply.status, message);
  }
  return text;
}

// The reply's JSON (null for an empty reply, such as a 204).
export async function api(method, path, body) {
  const text = await send(method, path, body);
  return text ? JSON.parse(text) : null;
}

export async function apiText(path) {
  return send('GET', path);
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body ?? {});
export const del = (path) => api('DELETE', path);
