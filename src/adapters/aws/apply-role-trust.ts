import { GetRoleCommand, GetRolePolicyCommand, PutRolePolicyCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { removeStatement, REVOKED_SESSIONS_POLICY, trustSid, upsertStatement } from '../../core/entitlements/role-trust.js';
import { decodePolicyDocument } from '../../core/iam/parse-account-snapshot.js';
import type { PolicyDocument } from '../../core/model.js';
import type { IamOperation } from '../../core/plan/iam-operation.js';

type Send = <T>(command: object) => Promise<T>;

/**
 * Changes one statement of a role's trust policy: read the document, put or take out the statement
 * with the user's Sid, write the document back; statements with other Sids are written back as they
 * were. A revocation then adds the deny that ends the user's sessions to the role's inline policy
 * `grantops-revoked-sessions`. Callers run the operations of one role one after another: the update is
 * a read-modify-write of one document.
 */
export async function applyRoleTrust(op: IamOperation, send: Send): Promise<void> {
  const role = await send<{ Role?: { AssumeRolePolicyDocument?: string } }>(new GetRoleCommand({ RoleName: op.target }));
  const trust = role.Role?.AssumeRolePolicyDocument ? decodePolicyDocument(role.Role.AssumeRolePolicyDocument) : undefined;
  const statement = op.document ? [op.document.Statement].flat()[0] : undefined;
  if (op.action === 'add-role-trust-statement') {
    if (!statement || statement.Sid !== trustSid(op.principal)) throw new Error(`${op.action} needs the trust statement for ${op.principal}`);
    await send(new UpdateAssumeRolePolicyCommand({ RoleName: op.target, PolicyDocument: JSON.stringify(upsertStatement(trust, statement)) }));
    return;
  }
  const without = removeStatement(trust, trustSid(op.principal));
  if ([without.Statement].flat().length !== [trust?.Statement ?? []].flat().length) {
    await send(new UpdateAssumeRolePolicyCommand({ RoleName: op.target, PolicyDocument: JSON.stringify(without) }));
  }
  if (!statement) return;
  let revoked: PolicyDocument | undefined;
  try {
    const current = await send<{ PolicyDocument?: string }>(new GetRolePolicyCommand({ RoleName: op.target, PolicyName: REVOKED_SESSIONS_POLICY }));
    revoked = current.PolicyDocument ? decodePolicyDocument(current.PolicyDocument) : undefined;
  } catch (error) {
    if ((error as { name?: string }).name !== 'NoSuchEntityException' && (error as { name?: string }).name !== 'NoSuchEntity') throw error;
  }
  await send(new PutRolePolicyCommand({ RoleName: op.target, PolicyName: REVOKED_SESSIONS_POLICY, PolicyDocument: JSON.stringify(upsertStatement(revoked, statement)) }));
}
