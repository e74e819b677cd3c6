// Jest's global set-up, once per run before any worker starts (the workers inherit its environment).
import { generateKeyPairSync } from 'node:crypto';
import buildLib from './build-lib.mjs';
import prepareTestTools from './test-tools.mjs';

export default async function globalSetup() {
  prepareTestTools();
  // One GitHub App key for the whole run (test/github-server/app-key.ts): making one costs most of a second.
  process.env.GRANTOPS_TEST_APP_KEY ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  await buildLib();
}
