// The only module that talks to the csat-badge API. Small on purpose: it ships inside other people's
// websites. Its types are the API's own (type imports cost no bytes).
import type { Dimension } from '../api/domain/dimensions.js';
import type { SurveyKind } from '../api/domain/kinds.js';

export type Reaction = 'positive' | 'neutral' | 'negative';
export const REACTIONS: readonly Reaction[] = ['positive', 'neutral', 'negative'];

export interface Score {
  site: string;
  name: string;
  /** The site's survey kind (absent from older servers: reaction). */
  kind?: SurveyKind;
  /** Points of a CSAT scale; null for the other kinds. */
  scale?: number | null;
  /** Answers per value of the scale, lowest first; null for reactions. */
  distribution?: Array<{ value: number; count: number }> | null;
  score: number | null;
  exact: number | null;
  window: { days: number; from: string; to: string };
  counts: { positive: number; neutral: number; negative: number; total: number; imported: number };
  percent: { positive: number; neutral: number; negative: number };
  benchmark: { industry: string; label: string; positivePercent: number; source: string } | null;
  updatedAt: string | null;
  /** Imported, demo-seeded and sealed ratings of the window (absent from older servers). */
  origin?: { imported: number; importedDays: { from: string; to: string } | null; seeded: number; sealed: number };
  /** The public log's head (absent from older servers). */
  log?: { size: number };
}

/** What a survey asks. */
export interface Asks {
  kind: SurveyKind;
  /** Points of a CSAT scale; null for the other kinds. */
  scale: number | null;
}

/** An answer as sent: a reaction, or a score on the survey's scale. */
export type Choice = { reaction: Reaction } | { score: number };

export interface Answer extends Asks {
  /** The answer's class (the reaction itself for reaction surveys). */
  reaction: Reaction;
  /** The answer of a CSAT or NPS survey; null for reactions. */
  score: number | null;
  dimensions: Dimension[];
  comment: string | null;
  createdAt: string;
  updatedAt: string;
  changeableUntil: string;
  /** The server's verdict (its clock, not the visitor's): can this answer still be changed? */
  changeable: boolean;
}

/** An API answer that is not a success, with the API's error code (or `network`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function request<T>(url: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, credentials: 'omit' });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network', (error as Error).message);
  }
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const e = (body as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(res.status, e?.code ?? 'http_' + res.status, e?.message ?? res.statusText);
  }
  return { status: res.status, body: body as T };
}

const siteUrl = (api: string, site: string) => `${api}/v1/sites/${encodeURIComponent(site)}`;

function scoreUrl(api: string, site: string, windowDays?: number | null): string {
  return `${siteUrl(api, site)}/score${windowDays ? `?window=${windowDays}` : ''}`;
}

/** Always revalidated with the server (a cheap 304 when unchanged), never taken from the HTTP cache as
 * it is: a reload after a reaction must show it, whatever caching headers a proxy added. */
export async function fetchScore(api: string, site: string, windowDays: number | null, signal?: AbortSignal): Promise<Score> {
  return (await request<Score>(scoreUrl(api, site, windowDays), { signal, cache: 'no-cache' })).body;
}

/** Live score over Server-Sent Events. EventSource gives up for good on an HTTP error (a proxy's 502
 * during a restart) and retries a dropped stream at a fixed pace, so every close or error reopens it
 * here instead: after 1 s doubling to 30 s, jittered so badges cut by one restart do not all return in
 * the same second, and back to 1 s once a score arrives. Returns a closer. */
export function watchScore(api: string, site: string, windowDays: number | null, onScore: (score: Score) => void, onError: () => void): () => void {
  const url = `${siteUrl(api, site)}/score/stream${windowDays ? `?window=${windowDays}` : ''}`;
  let source: EventSource;
  let timer: ReturnType<typeof setTimeout>;
  let wait = 1e3;
  const open = () => {
    source = new EventSource(url);
    source.addEventListener('score', (event) => {
      wait = 1e3;
      try {
        onScore(JSON.parse((event as MessageEvent<string>).data) as Score);
      } catch {
        // a malformed event is ignored; the next one replaces it
      }
    });
    source.onerror = () => {
      source.close();
      onError();
      timer = setTimeout(open, wait * (0.5 + Math.random() / 2));
      wait = Math.min(wait * 2, 3e4);
    };
  };
  open();
  return () => (clearTimeout(timer), source.close());
}

/** The site a survey token belongs to, what it asks, and its current answer (null before the first). */
export async function fetchAnswer(api: string, token: string, signal?: AbortSignal): Promise<{ site: string; asks: Asks; answer: Answer | null }> {
  const { body } = await request<Answer & { site: string; answered: boolean }>(`${api}/v1/responses/${encodeURIComponent(token)}`, { signal });
  return { site: body.site, asks: body, answer: body.answered ? body : null };
}

/** Records or changes an answer. Without `details` the comment and dimensions stay as they are. */
export async function postAnswer(api: string, token: string, choice: Choice, details?: { comment: string; dimensions: string[] }): Promise<{ created: boolean; answer: Answer }> {
  const { status, body } = await request<Answer>(`${api}/v1/responses`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token, ...choice, ...details }),
    keepalive: true,
  });
  return { created: status === 201, answer: body };
}
