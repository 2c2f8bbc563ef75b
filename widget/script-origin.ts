// Where the drop-in script was loaded from: the default API origin, so one <script> tag from the
// csat-badge server is all a page needs. Read once, while the script is being evaluated (afterwards
// document.currentScript is gone). Bundler users set the `api` attribute instead.
const script = typeof document !== 'undefined' ? (document.currentScript as HTMLScriptElement | null) : null;

const scriptOrigin: string | null = script?.src ? new URL(script.src).origin : null;

/** The API origin for an element: its `api` attribute, else the script's origin. No trailing slash. */
export function apiBase(api: string | null | undefined): string | null {
  const base = api || scriptOrigin;
  return base ? base.replace(/\/+$/, '') : null;
}
