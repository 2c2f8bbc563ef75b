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
import { defaultMinifyOptions } from '@lit-labs/rollup-plugin-minify-html-literals/lib/strategy.js';
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
 * It also shortens lit-html's internal property names (`_$AH`, `_$litType$`...): they are a contract
 * between copies of Lit on one page, and the drop-in script's copy talks to no other (its templates,
 * parts and roots are its own).
 */
const terserPass = (): Plugin => ({
  name: 'csat-badge-terser-pass',
  async generateBundle(_, bundle) {
    for (const chunk of Object.values(bundle)) {
      if (chunk.type !== 'chunk') continue;
      const out = await minify(chunk.code, {
        ecma: 2020,
        compress: { passes: 3, pure_getters: true, unsafe_arrows: true },
        mangle: { properties: { regex: /^_\$/ } },
        format: { comments: false },
      });
      if (out.code) chunk.code = out.code;
    }
  },
});

/**
 * Parts of lit-html that the drop-in script's templates never reach, cut from its published build
 * (node_modules/lit-html/lit-html.js) before bundling. Each pattern must match, or the build fails: a new
 * lit-html is then checked again by hand rather than shipped with half a cut.
 */
const LIT_HTML_CUTS: Array<[what: string, pattern: RegExp, replacement: string]> = [
  // The global list of loaded versions (only Lit's development build reads it, to warn about several
  // copies) and the ShadyDOM polyfill's entry point (browsers without shadow DOM cannot run these
  // elements anyway: they adopt constructed stylesheets).
  ['the polyfill and versions globals', /,(\w+)=(\w+)\.litHtmlPolyfillSupport;\1\?\.\(\w+,\w+\),\(\2\.litHtmlVersions\?\?=\[\]\)\.push\("[\d.]+"\);/, ';'],
  // The public members that only directives use (parentNode, startNode, endNode, tagName,
  // setConnected): the widget imports no directive.
  ['the template instance\'s parentNode', /get parentNode\(\)\{return this\._\$AM\.parentNode\}/, ''],
  ['the child part\'s parentNode, startNode and endNode', /get parentNode\(\)\{let \w+=this\._\$AA\.parentNode;const \w+=this\._\$AM;return[^}]*\}get startNode\(\)\{return this\._\$AA\}get endNode\(\)\{return this\._\$AB\}/, ''],
  ['the child part\'s setConnected', /setConnected\(\w+\)\{void 0===this\._\$AM&&\(this\._\$Cv=\w+,this\._\$AP\?\.\(\w+\)\)\}/, ''],
  ['the attribute part\'s tagName', /get tagName\(\)\{return this\.element\.tagName\}/, ''],
  // Directives: the drop-in script imports none (the build fails if it does, see trimLitHtml), so a
  // value is never a directive's result and resolving it is the value itself; parts never ask whether
  // they are connected (only async directives do).
  ['directive resolution', /function (\w+)\((\w+),(\w+),\w+=\2,\w+\)\{if\(\3===\w+\)return \3;[^]*?_\$litDirective\$[^]*?\),\3\}(?=class )/, 'function $1($2,$3){return $3}'],
  ['the parts\' connection state', /get _\$AU\(\)\{return this\._\$AM(\?\.)?\._\$AU(\?\?this\._\$Cv)?\}/g, ''],
  ['the parts\' sets of disconnectable children', /this\._\$AN=void 0,/g, ''],
  ['the notice to async directives of a cleared part', /this\._\$AP\?\.\(!1,!0,\w+\)/, ''],
  ['the child part\'s initial connection state', /,this\._\$Cv=\w+\?\.isConnected\?\?!0/, ''],
  // Templates compiled ahead of time (@lit-labs/compiler): the widget's are all html`` literals.
  ['compiled templates', /"number"==typeof (\w+)\?(this\._\$AC\(\w+\)):\(void 0===\1\.el&&\(\1\.el=\w+\.createElement\(\w+\(\1\.h,\1\.h\[0\]\),this\.options\)\),\1\)/, '$2'],
  // lit-html's private exports for server rendering and hydration (`_$LH`), which name the parts cut
  // here; nothing in the drop-in script imports them.
  ['the private exports', /(\w+)=\{M:\w+,P:\w+,A:\w+,C:1,[^}]*\}/, '$1={}'],
  // svg`` and mathml`` templates and boolean attribute bindings (?name=${}): the widget's templates have
  // none, and the build fails if one appears (UNSUPPORTED_IN_TEMPLATES).
  ['svg and mathml template openings', /(\w+)=2===(\w+)\?"<svg>":3===\2\?"<math>":""/, '$1=""'],
  ['svg and mathml template closings', /\(2===(\w+)\?"<\/svg>":3===\1\?"<\/math>":""\)/, '""'],
  ['svg and mathml template unwrapping', /,2===(\w+)\|\|3===\1\)\{const (\w+)=this\.el\.content\.firstChild;\2\.replaceWith\(\.\.\.\2\.childNodes\)\}/, ');'],
  ['the boolean attribute part', /class (\w+) extends \w+\{constructor\(\)\{super\(\.\.\.arguments\),this\.type=4\}j\(\w+\)\{this\.element\.toggleAttribute\(this\.name,!!\w+&&\w+!==\w+\)\}\}/, ''],
  ['the boolean attribute part\'s use', /"\?"===(\w+)\[1\]\?\w+:/, ''],
];

/** What the cuts above leave out, looked for in the widget's own sources (a false alarm fails the build too). */
const UNSUPPORTED_IN_TEMPLATES: Array<[what: string, pattern: RegExp]> = [
  ['svg`` or mathml`` templates', /import\s*\{[^}]*\b(svg|mathml)\b[^}]*\}\s*from\s*['"]lit/],
  ['boolean attribute bindings (?name=${...})', /\s\?[\w-]+=\$\{/],
];
const trimLitHtml = (): Plugin => ({
  name: 'csat-badge-trim-lit-html',
  resolveId(source) {
    if (/^(lit|lit-html)\/(directive|async-directive|directives\/)/.test(source)) this.error(`the drop-in script cuts lit-html's directive support: ${source} would not work in it`);
    return null;
  },
  transform(code, id) {
    if (id.startsWith(resolve(root, 'widget'))) {
      for (const [what, pattern] of UNSUPPORTED_IN_TEMPLATES) {
        if (pattern.test(code)) this.error(`${id}: the drop-in script's lit-html has no ${what}`);
      }
      return null;
    }
    if (!/[\\/]lit-html[\\/]lit-html\.js$/.test(id)) return null;
    for (const [what, pattern, replacement] of LIT_HTML_CUTS) {
      if (code.search(pattern) < 0) this.error(`lit-html.js no longer has ${what} as this build expects`);
      code = code.replace(pattern, replacement);
    }
    return { code, map: null };
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
  // In the drop-in script, attribute values that are one binding also go unquoted (class=${x}: lit-html
  // parses both). Attributes are never sorted: the bindings' values follow the order of the template's text.
  plugins: [
    dropInEntry(),
    { ...minifyLiterals({ failOnError: true }), enforce: 'pre', applyToEnvironment: (env) => env.name !== 'client' },
    {
      ...minifyLiterals({ failOnError: true, options: { minifyOptions: { ...defaultMinifyOptions, removeAttributeQuotes: true } } }),
      enforce: 'pre',
      applyToEnvironment: (env) => env.name === 'client',
    },
  ],
  environments: {
    // (a) the drop-in script
    client: {
      build: {
        ...common,
        minify: true,
        cssCodeSplit: false,
        rollupOptions: { input: DROP_IN, plugins: [trimLitHtml(), terserPass()] },
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
