import type { AccountSnapshot } from '../iam/account-snapshot.js';
import type { PolicyDocument } from '../model.js';
import { inlinePolicyName } from '../plan/iam-operation.js';
import { policySize, samePolicy } from '../plan/policy-size.js';
import { DEFAULT_QUOTAS, quotaOf } from '../plan/account-quotas.js';
import { expireInPolicy } from './expire-in-policy.js';
import { shellQuote, type EntitlementKind, type Holdings } from './entitlement-kind.js';

/**
 * `grants: { inlinePolicy: {...} }`: the document as an inline policy of the user, named
 * `grantops-<resource id>` so grantops knows its own by name. Put for a grant, its Allow statements end
 * at the grant's `expires` (`DateLessThan aws:CurrentTime`): the policy is the user's alone, so it can
 * carry their end, and AWS refuses the access once it has passed even if no expire run happens.
 */
export const inlinePolicy: EntitlementKind<AccountSnapshot> = {
  id: 'inline',
  accepts: (grants) => 'inlinePolicy' in grants,
  targetsOf: (resource, context) => {
    const document = (resource.grants as { inlinePolicy: PolicyDocument }).inlinePolicy;
    return [{ kind: 'inline', name: inlinePolicyName(resource.id), document: context?.grant ? expireInPolicy(document, context.grant.expires) : document }];
  },
  holdings(snapshot): Holdings {
    return new Map(snapshot.UserDetailList.map((u) => [u.UserName, new Map((u.UserPolicyList ?? []).map((p) => [p.PolicyName, { document: p.PolicyDocument }]))]));
  },
  ownedByName: true,
  findDifference(held, wanted, resourceId) {
    if (!held.document || !wanted.document || samePolicy(held.document, wanted.document)) return undefined;
    return `the inline policy differs from resource ${resourceId}'s document`;
  },
  addAction: 'put-user-policy',
  removeAction: 'delete-user-policy',
  quota: {
    rule: 'plan/quota-inline-size',
    limit: (snapshot) => quotaOf(snapshot.SummaryMap, 'UserPolicySizeQuota', DEFAULT_QUOTAS.userPolicySize),
    measure: (held) => [...held.values()].reduce((sum, h) => sum + (h.document ? policySize(h.document) : 0), 0),
    message: (user, used, limit) => `IAM user "${user}" would have ${used} characters of inline policy (whitespace not counted); the account allows ${limit} per user`,
  },
  applyToSnapshot(snapshot, op) {
    const user = snapshot.UserDetailList.find((u) => u.UserName === op.principal);
    if (!user) return `IAM user "${op.principal}" does not exist`;
    if (op.action === 'delete-user-policy') {
      user.UserPolicyList = (user.UserPolicyList ?? []).filter((p) => p.PolicyName !== op.target);
      return undefined;
    }
    if (!op.document) return 'put-user-policy needs a policy document';
    const inline = (user.UserPolicyList ??= []);
    const existing = inline.find((p) => p.PolicyName === op.target);
    if (existing) existing.PolicyDocument = op.document;
    else inline.push({ PolicyName: op.target, PolicyDocument: op.document });
    return undefined;
  },
  cliCommand(op) {
    const user = `--user-name ${shellQuote(op.principal)} --policy-name ${shellQuote(op.target)}`;
    return op.action === 'delete-user-policy' ? `aws iam delete-user-policy ${user}` : `aws iam put-user-policy ${user} --policy-document ${shellQuote(JSON.stringify(op.document ?? {}))}`;
  },
  describe: (target) => `inline policy ${target.name}`,
  riskOf: (resource, { scorer, at }) => ({ policies: [scorer.permissionsOf((resource.grants as { inlinePolicy: PolicyDocument }).inlinePolicy, at)], unresolved: [] }),
};
