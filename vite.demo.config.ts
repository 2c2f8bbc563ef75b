// The demo company site: plain pages that load the drop-in script from the API, as a real site would.
// The parts every page shares (head links, header with the badge, footer) are written once here and
// put in place of the pages' `<!-- demo:... -->` markers.
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const PAGES = { index: 'Home', portal: 'Client portal', score: 'Our score' } as const;
const href = (page: string) => (page === 'index' ? '/demo/' : `/demo/${page}.html`);

function withSharedParts(html: string, filename: string): string {
  const current = filename.replace(/^.*\//, '').replace(/\.html$/, '');
  const nav = Object.entries(PAGES)
    .map(([page, label]) => `<a href="${href(page)}"${page === current ? ' aria-current="page"' : ''}>${label}</a>`)
    .join('\n    ');
  return html
    .replace(
      '<!-- demo:head -->',
      `<link rel="stylesheet" href="./styles.css">
<link rel="icon" href="data:,">
<!-- The one script tag a site needs; the badge takes the API origin from where it was loaded. -->
<script src="/widget/csat-badge.js" defer></script>`,
    )
    .replace(
      '<!-- demo:header -->',
      `<header>
  <a class="logo" href="/demo/">Brightline IT</a>
  <nav aria-label="Main">
    ${nav}
  </nav>
  <csat-badge site="demo"></csat-badge>
</header>`,
    )
    .replace('<!-- demo:footer -->', '<footer>Brightline IT is a fictional company: this is the csat-badge demo.</footer>');
}

const sharedParts = (): Plugin => ({
  name: 'demo-shared-parts',
  // 'pre': before Vite processes the page, so the stylesheet link is bundled like a hand-written one.
  transformIndexHtml: { order: 'pre', handler: (html, { filename }) => withSharedParts(html, filename) },
});

export default defineConfig({
  root: resolve(import.meta.dirname, 'demo'),
  base: '/demo/',
  logLevel: 'error', // the drop-in <script> is served by the API, not bundled: Vite would warn on every page
  plugins: [sharedParts()],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/demo'),
    emptyOutDir: true,
    rollupOptions: {
      input: Object.fromEntries(Object.keys(PAGES).map((page) => [page, resolve(import.meta.dirname, `demo/${page}.html`)])),
    },
  },
});
