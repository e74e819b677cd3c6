import { daysBetween, type RecommendationRule } from '../recommendation.js';

/** Active access keys never used, or not within `risk.unusedAfter`: a secret nobody needs is only a risk. */
export const accessKeyUnused: RecommendationRule = ({ snapshot, now, settings }) => {
  const windowDays = Math.round(settings.unusedAfterMs / 86_400_000);
  return snapshot.UserDetailList.flatMap((user) =>
    (user.AccessKeys ?? []).flatMap((key) => {
      if (key.Status !== 'Active') return [];
      const sinceUse = daysBetween(key.LastUsedDate, now);
      const age = daysBetween(key.CreateDate, now) ?? 0;
      // A key younger than the window has not had the chance to be used.
      if (sinceUse === undefined ? age <= windowDays : sinceUse <= windowDays) return [];
      return [{
        rule: 'access-key/unused',
        subject: `user/${user.UserName}`,
        reason: sinceUse === undefined ? `access key ${key.AccessKeyId} has never been used (created ${age} days ago)` : `access key ${key.AccessKeyId} was last used ${sinceUse} days ago (window ${windowDays} days)`,
        action: `deactivate ${key.AccessKeyId}, and delete it if nothing breaks`,
      }];
    }),
  );
};
