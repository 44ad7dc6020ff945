import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: the real server and the built web app, driven through Chromium.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    // one flow per file, in order; a retry would hide flakiness we want to see
    retry: 0,
  },
});
