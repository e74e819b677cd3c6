import { IAMClient } from '@aws-sdk/client-iam';
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { MOTO_CREDENTIALS } from './moto.js';

/**
 * Clients acting in one account of the emulator: moto keys every service by the account of the signing
 * credentials, so an assumed role's session in that account reaches that account's IAM and Identity Center.
 */
export async function accountClients(endpoint: string, accountId: string, roleName = 'test-admin'): Promise<{ iam: IAMClient; ssoAdmin: SSOAdminClient; identityStore: IdentitystoreClient; credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string } }> {
  const sts = new STSClient({ region: 'us-east-1', endpoint, credentials: MOTO_CREDENTIALS });
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${roleName}`, RoleSessionName: 'test-setup' }));
  sts.destroy();
  const credentials = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
  const common = { region: 'us-east-1', endpoint, credentials };
  return { iam: new IAMClient(common), ssoAdmin: new SSOAdminClient(common), identityStore: new IdentitystoreClient(common), credentials };
}
