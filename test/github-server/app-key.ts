import { generateKeyPairSync, sign } from 'node:crypto';

let generated: string | undefined;

/**
 * A throwaway RSA key for a test GitHub App (PKCS#1 PEM, the format GitHub hands out). Making one costs most
 * of a second, so the run makes one (jest's global set-up, in GRANTOPS_TEST_APP_KEY) and every app shares it.
 */
export function generateAppKey(): string {
  generated ??= process.env.GRANTOPS_TEST_APP_KEY ?? newAppKey();
  return generated;
}

export function newAppKey(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
}

/** The JWT an app authenticates as itself with (RS256, `iss` = app id, ten minutes). */
export function signAppJwt(appId: number, privateKey: string, now = Math.floor(Date.now() / 1000)): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode({ iat: now - 60, exp: now + 540, iss: appId })}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), privateKey).toString('base64url')}`;
}
