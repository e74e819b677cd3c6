import { isLive } from '../../plan/plan-iam.js';
import { daysBetween, type RecommendationRule } from '../recommendation.js';

/**
 * A live grant whose grantee used none of the resource's services within `risk.unusedAfter`. Said only
 * where the evidence is there: per-service last use when it was collected, else (credential facts
 * collected) a user with no sign-in and no access-key use at all in the window. No evidence, no
 * recommendation.
 */
export const unusedGrant: RecommendationRule = ({ repo, snapshot, now, settings, resources, system }) => {
  if (!repo) return [];
  const windowDays = Math.round(settings.unusedAfterMs / 86_400_000);
  const users = new Map(snapshot.UserDetailList.map((u) => [u.UserName, u]));
  const out = [];
  for (const [file, { value: grant }] of repo.grants) {
    const resource = repo.resources.get(grant.resource)?.value;
    const iamUser = repo.people.get(grant.user)?.value.aws?.user;
    const user = iamUser ? users.get(iamUser) : undefined;
    const risk = resources.get(grant.resource);
    if (!resource || resource.system !== system || !user || !risk || !isLive(grant, now)) continue;

    let reason: string | undefined;
    if (user.ServiceLastAccessed) {
      const uses = user.ServiceLastAccessed.filter((s) => risk.services.includes(s.ServiceNamespace) && s.LastAuthenticated);
      const latest = uses.map((s) => daysBetween(s.LastAuthenticated, now)!).sort((a, b) => a - b)[0];
      if (latest === undefined || latest > windowDays) {
        reason = latest === undefined ? `${iamUser} has not used ${risk.services.join(', ') || 'its services'} within IAM's tracking period` : `not used in ${latest} days: ${iamUser} last used ${risk.services.join(', ')} ${latest} days ago`;
      }
    } else if (user.PasswordEnabled !== undefined || user.AccessKeys !== undefined) {
      // Credential facts were collected (absent ones would say nothing about use).
      const activity = [user.PasswordLastUsed, ...(user.AccessKeys ?? []).map((k) => k.LastUsedDate)].map((d) => daysBetween(d, now)).filter((d): d is number => d !== undefined);
      const created = daysBetween(user.CreateDate, now);
      const latest = activity.sort((a, b) => a - b)[0];
      if ((latest === undefined && created !== undefined && created > windowDays) || (latest !== undefined && latest > windowDays)) {
        reason = latest === undefined ? `${iamUser} has never signed in or used an access key` : `not used in ${latest} days: ${iamUser} has not signed in or used an access key since`;
      }
    }
    if (reason) {
      out.push({ rule: 'grant/unused', subject: file, file, reason: `${grant.user}'s access to ${grant.resource}: ${reason} (window ${windowDays} days)`, action: `give it up: set status: expired (or delete ${file}) in a pull request; it can be asked for again` });
    }
  }
  return out;
};
