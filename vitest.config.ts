import { defineConfig } from 'vitest/config';

// Only Node-side tests: the widget's browser tests run under web-test-runner in real Chromium.
export default defineConfig({
  test: {
    include: ['test/api/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
