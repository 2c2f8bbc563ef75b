import { defineConfig } from 'vitest/config';

// The reliability suite (npm run test:reliability): crash, fuzz, model and abuse tests that try to break
// the system. Slower than the unit tests, bounded in count and time, and run by CI after them.
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 60_000,
    // One file at a time: the crash harness owns the CPU while it kills and restarts the server.
    fileParallelism: false,
  },
});
