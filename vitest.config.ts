import { availableParallelism } from 'node:os';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    // Vitest's default, one fewer than the cores, runs one file at a time on 2 cores, leaving a core idle
    // while a file imports its modules or waits on the processes and browser it starts.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Pages are polled while two files train models side by side; the 1 s default fails a page that is
    // merely slow under that load, and a poll that times out still fails the test.
    expect: { poll: { timeout: 15_000 } },
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/unit/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          exclude: ['test/unit/renderer/**'],
          globalSetup: ['test/build-app.ts'],
        },
      },
      {
        // Renderer state classes are `*.svelte.ts` modules with runes: compile them with Svelte and
        // resolve packages for the browser, so $state and $derived behave as in the app.
        extends: true,
        plugins: [svelte({ configFile: false })],
        resolve: { conditions: ['browser'] },
        test: { name: 'renderer', include: ['test/unit/renderer/**/*.test.ts'] },
      },
    ],
  },
});
