// The mocha globals web-test-runner provides to the browser tests. @types/mocha is not installed, and
// tsconfig.json lists its types explicitly, so `npm run typecheck` needs these few declarations.
type MochaCallback = () => unknown;

declare function describe(title: string, fn: () => void): void;
declare function it(title: string, fn: MochaCallback): void;
declare function before(fn: MochaCallback): void;
declare function after(fn: MochaCallback): void;
declare function beforeEach(fn: MochaCallback): void;
declare function afterEach(fn: MochaCallback): void;
