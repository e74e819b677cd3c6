import { daysBetween, type RecommendationRule } from '../recommendation.js';

/** Active access keys older than `risk.keyMaxAge` (default 90 days): long-lived secrets leak. */
export const accessKeyAge: RecommendationRule = ({ snapshot, now, settings }) => {
  const maxDays = Math.round(settings.keyMaxAgeMs / 86_400_000);
  return snapshot.UserDetailList.flatMap((user) =>
    (user.AccessKeys ?? [])
      .filter((key) => key.Status === 'Active' && (daysBetween(key.CreateDate, now) ?? 0) > maxDays)
      .map((key) => ({
        rule: 'access-key/old',
        subject: `user/${user.UserName}`,
        reason: `access key ${key.AccessKeyId} is ${daysBetween(key.CreateDate, now)} days old (more than ${maxDays})`,
        action: `rotate it: create a new key, move its users over, then deactivate and delete ${key.AccessKeyId}`,
      })),
  );
};
