import { daysBetween, type RecommendationRule } from '../recommendation.js';

/** Roles not assumed within `risk.unusedAfter` (RoleLastUsed): standing access nobody uses. */
export const unusedRole: RecommendationRule = ({ snapshot, now, settings }) => {
  const windowDays = Math.round(settings.unusedAfterMs / 86_400_000);
  return snapshot.RoleDetailList.flatMap((role) => {
    // Absent means the read-out did not say; an empty RoleLastUsed is AWS saying "not within tracking".
    if (role.RoleLastUsed === undefined || role.Path?.startsWith('/aws-service-role/')) return [];
    const since = daysBetween(role.RoleLastUsed.LastUsedDate, now);
    const age = daysBetween(role.CreateDate, now);
    if (since === undefined ? age !== undefined && age <= windowDays : since <= windowDays) return [];
    return [{
      rule: 'role/unused',
      subject: `role/${role.RoleName}`,
      reason: since === undefined ? `${role.RoleName} has not been used within IAM's tracking period` : `not used in ${since} days: ${role.RoleName} was last used ${since} days ago`,
      action: 'delete the role if nothing depends on it (check its trust policy for who could assume it)',
    }];
  });
};
