import type { AccountSnapshot, RoleDetail } from '../iam/account-snapshot.js';
import type { PolicyDocument, PolicyStatement } from '../model.js';
import { samePolicy } from '../plan/policy-size.js';
import { shellQuote, type EntitlementKind, type Holdings } from './entitlement-kind.js';

/** The role's inline policy that holds the denies ending revoked people's sessions. */
export const REVOKED_SESSIONS_POLICY = 'grantops-revoked-sessions';
const TRUST_SID = 'grantops';
const REVOKE_SID = 'grantopsRevoke';

/** Sids carry the IAM user name hex-encoded: alphanumeric as IAM wants, unique, and readable back. */
function hex(text: string): string {
  return [...new TextEncoder().encode(text)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
function unhex(text: string): string | undefined {
  if (!/^([0-9a-f]{2})+$/.test(text)) return undefined;
  return new TextDecoder().decode(new Uint8Array(text.match(/../g)!.map((b) => parseInt(b, 16))));
}

/** The Sid of the trust statement grantops writes for one IAM user: statements without it are never touched. */
export function trustSid(user: string): string {
  return `${TRUST_SID}${hex(user)}`;
}

function statementsOf(document: PolicyDocument | undefined): PolicyStatement[] {
  return document ? [document.Statement].flat() : [];
}

function accountOfRole(role: RoleDetail | undefined): string | undefined {
  return role?.Arn.split(':')[4];
}

/**
 * The statement that lets one IAM user assume the role until the grant's end. AWS refuses the role once
 * `aws:CurrentTime` passes `expires`, even if no expire run happens; the session must be named after the
 * user, so the user's sessions can be told apart (and ended) later.
 */
export function trustStatement(userArn: string, user: string, expires: string): PolicyStatement {
  return {
    Sid: trustSid(user),
    Effect: 'Allow',
    Principal: { AWS: userArn },
    Action: 'sts:AssumeRole',
    Condition: { DateLessThan: { 'aws:CurrentTime': expires }, StringEquals: { 'sts:RoleSessionName': user } },
  };
}

/**
 * The deny that ends the sessions one user started before `now` (AWS's "revoke older sessions", narrowed
 * to that user's sessions by their session name): a later grant starts new sessions, which it spares.
 */
export function revokeSessionsStatement(user: string, now: Date): PolicyStatement {
  return {
    Sid: `${REVOKE_SID}${hex(user)}`,
    Effect: 'Deny',
    Action: '*',
    Resource: '*',
    Condition: { StringLike: { 'aws:userid': `*:${user}` }, DateLessThan: { 'aws:TokenIssueTime': now.toISOString() } },
  };
}

/** Puts `statement` into `document` in place of any statement with its Sid. */
export function upsertStatement(document: PolicyDocument | undefined, statement: PolicyStatement): PolicyDocument {
  const others = statementsOf(document).filter((s) => s.Sid !== statement.Sid);
  return { Version: document?.Version ?? '2012-10-17', Statement: [...others, statement] };
}

export function removeStatement(document: PolicyDocument | undefined, sid: string): PolicyDocument {
  return { Version: document?.Version ?? '2012-10-17', Statement: statementsOf(document).filter((s) => s.Sid !== sid) };
}

/**
 * `grants: { role: NAME }` in an `aws` system: the right for the person's IAM user to assume the role,
 * as one statement of the role's trust policy marked by its Sid. Revoking removes the statement and ends
 * the user's live sessions of the role (an inline deny on `aws:TokenIssueTime`).
 */
export const roleTrust: EntitlementKind<AccountSnapshot> = {
  id: 'role-trust',
  reads: ['Role'],
  accepts: (grants) => 'role' in grants,
  targetsOf(resource, context) {
    const role = (resource.grants as { role: string }).role;
    const { grant, principal, snapshot } = context ?? {};
    if (!grant || !principal) return [{ kind: 'role-trust', name: role }];
    const user = snapshot?.UserDetailList.find((u) => u.UserName === principal);
    const account = accountOfRole(snapshot?.RoleDetailList.find((r) => r.RoleName === role)) ?? user?.Arn.split(':')[4] ?? '<account>';
    const arn = user?.Arn ?? `arn:aws:iam::${account}:user/${principal}`;
    return [{ kind: 'role-trust', name: role, document: { Version: '2012-10-17', Statement: [trustStatement(arn, principal, grant.expires)] } }];
  },
  holdings(snapshot): Holdings {
    const out = new Map<string, Map<string, { document: PolicyDocument }>>();
    for (const role of snapshot.RoleDetailList) {
      for (const statement of statementsOf(role.AssumeRolePolicyDocument)) {
        const user = statement.Sid?.startsWith(TRUST_SID) && !statement.Sid.startsWith(REVOKE_SID) ? unhex(statement.Sid.slice(TRUST_SID.length)) : undefined;
        if (!user) continue;
        const held = out.get(user) ?? new Map<string, { document: PolicyDocument }>();
        held.set(role.RoleName, { document: { Version: '2012-10-17', Statement: [statement] } });
        out.set(user, held);
      }
    }
    return out;
  },
  findMissing(snapshot, target) {
    if (snapshot.RoleDetailList.some((r) => r.RoleName === target.name)) return undefined;
    return { rule: 'plan/unknown-role', message: `IAM role "${target.name}" does not exist` };
  },
  ownedByName: true,
  findDifference(held, wanted) {
    if (!held.document || !wanted.document || samePolicy(held.document, wanted.document)) return undefined;
    return 'the trust statement differs from the grant (its end moved)';
  },
  removalNote: 'and ends the live sessions of the role this user started before now (a deny on aws:TokenIssueTime)',
  removalDocument: (principal, _target, now) => ({ Version: '2012-10-17', Statement: [revokeSessionsStatement(principal, now)] }),
  addAction: 'add-role-trust-statement',
  removeAction: 'remove-role-trust-statement',
  applyToSnapshot(snapshot, op) {
    const role = snapshot.RoleDetailList.find((r) => r.RoleName === op.target);
    if (!role) return `IAM role "${op.target}" does not exist`;
    const statement = statementsOf(op.document)[0];
    if (op.action === 'remove-role-trust-statement') {
      role.AssumeRolePolicyDocument = removeStatement(role.AssumeRolePolicyDocument, trustSid(op.principal));
      if (statement) {
        const policies = (role.RolePolicyList ??= []);
        const existing = policies.find((p) => p.PolicyName === REVOKED_SESSIONS_POLICY);
        const document = upsertStatement(existing?.PolicyDocument, statement);
        if (existing) existing.PolicyDocument = document;
        else policies.push({ PolicyName: REVOKED_SESSIONS_POLICY, PolicyDocument: document });
      }
      return undefined;
    }
    if (!statement || statement.Sid !== trustSid(op.principal)) return `${op.action} needs the trust statement for ${op.principal}`;
    role.AssumeRolePolicyDocument = upsertStatement(role.AssumeRolePolicyDocument, statement);
    return undefined;
  },
  cliCommand(op) {
    const role = shellQuote(op.target);
    const fetch = `aws iam get-role --role-name ${role} --query Role.AssumeRolePolicyDocument > trust.json`;
    const update = `aws iam update-assume-role-policy --role-name ${role} --policy-document file://trust.json`;
    const statement = JSON.stringify(statementsOf(op.document)[0] ?? {});
    if (op.action === 'add-role-trust-statement') {
      return [fetch, `# add (or replace, by its Sid) this statement in trust.json: ${statement}`, update].join('\n');
    }
    return [
      fetch,
      `# remove the statement with Sid ${trustSid(op.principal)} from trust.json`,
      update,
      `# end the sessions already started: add this statement to the role's inline policy ${REVOKED_SESSIONS_POLICY}: ${statement}`,
    ].join('\n');
  },
  describe: (target) => `trust of role ${target.name}`,
  // Assuming the role hands out what the role may do: its policies within its boundary.
  riskOf(resource, { principals }) {
    const name = (resource.grants as { role: string }).role;
    if (!principals) return { policies: [], unresolved: ['no account read-out to find the role in'] };
    const role = principals.find('role', name);
    if (!role) return { policies: [], unresolved: [`role ${name} is not in the account read-out`] };
    return { policies: role.policies.map((p) => p.permissions), ...(role.boundary && { boundary: role.boundary }), unresolved: role.unresolved.map((arn) => `role ${name}'s policy ${arn} is not in the account read-out`) };
  },
};
