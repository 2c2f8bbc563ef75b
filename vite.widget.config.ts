// The widget's distribution build, two outputs into dist/widget/ from one `vite build`:
//  - csat-badge.js      the drop-in <script>: one minified IIFE of <csat-badge> (with <csat-survey>),
//                       Lit bundled, no chunks, no CSS file, no globals.
//  - csat-badge.esm.js  the ES module of widget/index.ts for bundlers, Lit left external (a dependency).
// Vite's library mode builds one format per entry per build, so each output is its own build
// environment; `builder` makes a plain `vite build` run both (Vite's Environment API).
// dist/ is shared with the API's and the demo's builds: only dist/widget is cleaned, here.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import minifyLiterals from '@lit-labs/rollup-plugin-minify-html-literals';
import { minify } from 'terser';
import { defineConfig, type BuildEnvironmentOptions, type Plugin } from 'vite';

const root = import.meta.dirname;
const outDir = resolve(root, 'dist/widget');

/** The drop-in entry: only the side effect of registering the elements, so the IIFE sets no global. */
const DROP_IN = 'virtual:csat-badge-drop-in';
const dropInEntry = (): Plugin => ({
  name: 'csat-badge-drop-in-entry',
  resolveId: (id) => (id === DROP_IN ? '\0' + DROP_IN : null),
  load: (id) => (id === '\0' + DROP_IN ? `import ${JSON.stringify(resolve(root, 'widget/csat-badge.ts'))};` : null),
});

/**
 * A second minifier pass over the drop-in script: terser, after Vite's own minifier, finds what the first
 * left (about 100 bytes gzip: merged declarations, shorter conditionals). Every byte ships to other
 * people's websites. Terser is Vite's own optional minifier, present through the html-literal minifier.
 */
const terserPass = (): Plugin => ({
  name: 'csat-badge-terser-pass',
  async generateBundle(_, bundle) {
    for (const chunk of Object.values(bundle)) {
      if (chunk.type !== 'chunk') continue;
      const out = await minify(chunk.code, { ecma: 2020, compress: { passes: 3, pure_getters: true, unsafe_arrows: true }, format: { comments: false } });
      if (out.code) chunk.code = out.code;
    }
  },
});

/** Elements with a page of their own (widget/<name>.ts), built only once they exist. */
const OPERATOR_PAGES = ['csat-wall', 'csat-admin'].filter((name) => existsSync(resolve(root, `widget/${name}.ts`)));

/** Vite environment names cannot contain dashes. */
const envName = (name: string) => name.replace(/-/g, '_');

const common: BuildEnvironmentOptions = {
  outDir,
  emptyOutDir: false, // the builder below cleans dist/widget once, before both builds
  target: 'es2022',
  copyPublicDir: false,
  reportCompressedSize: true,
};

export default defineConfig({
  root,
  // Lit's legacy decorators, as in tsconfig.json (experimentalDecorators, useDefineForClassFields false),
  // spelled out so the build does not depend on which tsconfig oxc finds. Without the class-field
  // options, `@property() site = ''` would become a real class field that shadows Lit's accessor.
  oxc: {
    decorator: { legacy: true },
    assumptions: { setPublicClassFields: true },
    typescript: { removeClassFieldsWithoutInitializer: true },
  },
  // html`` and css`` templates are strings to the JS minifier: their whitespace would ship as written.
  plugins: [dropInEntry(), { ...minifyLiterals({ failOnError: true }), enforce: 'pre' }],
  environments: {
    // (a) the drop-in script
    client: {
      build: {
        ...common,
        minify: true,
        cssCodeSplit: false,
        rollupOptions: { input: DROP_IN, plugins: [terserPass()] },
        lib: {
          entry: DROP_IN,
          formats: ['iife'],
          name: 'CsatBadgeDropIn', // unused: the entry exports nothing
          fileName: () => 'csat-badge.js',
        },
        // The input wins over lib.entry (which Vite would resolve as a file path); the IIFE format
        // already keeps everything in one chunk. The terser pass is the drop-in script's alone.
      },
    },
    // (c) the operators' pages, each its own script served by the API (/widget/<name>.js), kept out of
    // the drop-in script's budget: the wall dashboard and the admin page.
    ...Object.fromEntries(
      OPERATOR_PAGES.map((name) => [
        envName(name),
        {
          consumer: 'client' as const,
          build: {
            ...common,
            minify: true,
            lib: { entry: resolve(root, `widget/${name}.ts`), formats: ['iife' as const], name: name.replace(/-/g, '_'), fileName: () => `${name}.js` },
          },
        },
      ]),
    ),
    // (b) the ES module for bundlers
    esm: {
      consumer: 'client',
      build: {
        ...common,
        minify: false,
        sourcemap: true,
        lib: {
          entry: resolve(root, 'widget/index.ts'),
          formats: ['es'],
          fileName: () => 'csat-badge.esm.js',
        },
        rollupOptions: {
          external: [/^lit(\/|$)/, /^lit-html(\/|$)/, /^lit-element(\/|$)/, /^@lit\//],
        },
      },
    },
  },
  builder: {
    async buildApp(builder) {
      await rm(outDir, { recursive: true, force: true });
      await builder.build(builder.environments.client!);
      await builder.build(builder.environments.esm!);
      for (const name of OPERATOR_PAGES) await builder.build(builder.environments[envName(name)]!);
    },
  },
});
