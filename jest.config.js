import { availableParallelism } from 'node:os';

/**
 * Tests are TypeScript run as ESM; imports use the `.js` suffix NodeNext wants. esbuild strips the types
 * (test/setup/esbuild-transform.cjs); `npm run typecheck` checks them.
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': '<rootDir>/test/setup/esbuild-transform.cjs',
  },
  testTimeout: 60000,
  // Jest's default (one worker fewer than the cores) leaves a 2-core machine running one file at a time,
  // while most files spend their time waiting on git, moto or a browser: one worker more than the cores.
  // On 2 cores, measured in one sitting on the same clone: 2 workers 191 s, 3 workers 143 s, 4 workers 146 s.
  maxWorkers: availableParallelism() + 1,
  // The slowest files start first, so none of them is left running alone at the end of a clean run.
  testSequencer: '<rootDir>/test/setup/slow-first-sequencer.mjs',
  // Finds moto and chromium (installing chromium where permitted) and builds lib/ for tests that run
  // `grantops` as a process, once per run.
  globalSetup: '<rootDir>/test/setup/global-setup.mjs',
};
