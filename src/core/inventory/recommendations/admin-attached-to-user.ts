import type { RecommendationRule } from '../recommendation.js';

/** Policies that allow every action on every resource, attached to a user rather than given through a group or role. */
export const adminAttachedToUser: RecommendationRule = ({ snapshot, scorer, principals }) =>
  snapshot.UserDetailList.flatMap((user) => {
    const direct = [
      ...(user.AttachedManagedPolicies ?? []).map((p) => ({ name: p.PolicyArn, permissions: principals.managedPermissions(p.PolicyArn) })),
      ...(user.UserPolicyList ?? []).map((p) => ({ name: `inline policy ${p.PolicyName}`, permissions: scorer.permissionsOf(p.PolicyDocument) })),
    ];
    return direct
      .filter((p) => p.permissions !== undefined && scorer.isAdministrator([p.permissions]))
      .map((p) => ({
        rule: 'user/direct-admin-policy',
        subject: `user/${user.UserName}`,
        reason: `${p.name} allows every action on every resource and is attached to ${user.UserName} directly`,
        action: 'give administrator access through a role or a group granted for a limited time (a grantops resource), and detach it from the user',
      }));
  });
