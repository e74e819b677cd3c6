// Jest's global set-up, once per run before any worker starts (the workers inherit its environment).
import buildLib from './build-lib.mjs';
import prepareTestTools from './test-tools.mjs';

export default async function globalSetup() {
  prepareTestTools();
  await buildLib();
}
