// How the admin page talks to the API: the signed-in session (kept in sessionStorage for the tab), the
// call with the admin key in the Authorization header, and its errors in the API's own words.

export interface Session {
  site: string;
  key: string;
}

/** A line of feedback under a form or a list. */
export interface Notice {
  text: string;
  kind: 'ok' | 'error';
}

/** A call to /v1/sites/<site><path> with the admin key; throws AdminApiError unless 2xx. */
export type AdminCall = (path: string, init?: RequestInit) => Promise<Response>;
/** Shows a failed call's message; a 401 signs the page out instead. */
export type AdminFail = (error: unknown, show: (notice: Notice) => void) => void;

/** What <csat-admin> lends the parts of its page. */
export interface AdminApi {
  call: AdminCall;
  fail: AdminFail;
}

/** A failed API call, with the API's own message (`{ error: { code, message } }`). */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** sessionStorage names: the key lives as long as the browser tab, the note author likewise. */
export const SESSION_ITEM = 'csat-admin:session';
export const AUTHOR_ITEM = 'csat-admin:author';

/** sessionStorage can throw (disabled storage, sandboxed frames): then nothing is remembered. */
export function readItem(name: string): string | null {
  try {
    return sessionStorage.getItem(name);
  } catch {
    return null;
  }
}

export function writeItem(name: string, value: string | null) {
  try {
    if (value === null) sessionStorage.removeItem(name);
    else sessionStorage.setItem(name, value);
  } catch {
    // not remembered; the page still works
  }
}

export function readSession(): Session | null {
  try {
    const value = JSON.parse(readItem(SESSION_ITEM) ?? 'null') as Partial<Session> | null;
    return value && typeof value.site === 'string' && typeof value.key === 'string' && value.key ? { site: value.site, key: value.key } : null;
  } catch {
    return null;
  }
}

const sentence = (text: string) => (text ? text[0]!.toUpperCase() + text.slice(1) : text).replace(/([^.!?])$/, '$1.');

/** `base`: the API's origin without a trailing slash. */
export async function callSite(base: string, session: Session | null, path: string, init: RequestInit = {}): Promise<Response> {
  if (!session) throw new AdminApiError(401, 'unauthorized', 'Paste the admin key first.');
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${session.key}`);
  let res: Response;
  try {
    res = await fetch(`${base}/v1/sites/${encodeURIComponent(session.site)}${path}`, { ...init, headers, credentials: 'omit', cache: 'no-store' });
  } catch (error) {
    throw new AdminApiError(0, 'network', `The server could not be reached (${(error as Error).message}).`);
  }
  if (res.ok) return res;
  const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  throw new AdminApiError(res.status, body?.error?.code ?? `http_${res.status}`, sentence(body?.error?.message ?? `The server answered ${res.status} ${res.statusText}`));
}
