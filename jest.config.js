/** Tests are TypeScript run as ESM through ts-jest; imports use the `.js` suffix NodeNext wants. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }],
  },
  testTimeout: 60000,
  // Tests that run `grantops` as a process read lib/: rebuilt once per run, in under a second.
  globalSetup: '<rootDir>/test/setup/build-lib.mjs',
};
