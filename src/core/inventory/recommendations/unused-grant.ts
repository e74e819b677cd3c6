import { isLive } from '../../plan/plan-iam.js';
import { assessGrantUse, describeUnusedGrant } from '../../usage/assess-grant-use.js';
import type { RecommendationRule } from '../recommendation.js';

/**
 * A live grant whose grantee used none of the resource's services within `risk.unusedAfter`. Said only
 * where the evidence is there (`assessGrantUse`, the rule the expiry notice and the renewal pull request
 * share): per-service last use when it was collected, else a user with no sign-in and no access-key use
 * at all in the window. No evidence, no recommendation.
 */
export const unusedGrant: RecommendationRule = ({ repo, snapshot, now, settings, resources, system }) => {
  if (!repo) return [];
  const users = new Map(snapshot.UserDetailList.map((u) => [u.UserName, u]));
  const out = [];
  for (const [file, { value: grant }] of repo.grants) {
    const resource = repo.resources.get(grant.resource)?.value;
    const iamUser = repo.people.get(grant.user)?.value.aws?.user;
    const user = iamUser ? users.get(iamUser) : undefined;
    const risk = resources.get(grant.resource);
    if (!resource || resource.system !== system || !user || !risk || !isLive(grant, now)) continue;

    // Services read from a policy the read-out lacks are not known: no per-service claim then.
    const use = assessGrantUse({ user, services: risk.unresolved.length === 0 ? risk.services : undefined, at: now, windowMs: settings.unusedAfterMs });
    if (use.verdict === 'unused') {
      out.push({
        rule: 'grant/unused',
        subject: file,
        file,
        reason: `${grant.user}'s access to ${grant.resource}: ${describeUnusedGrant(use)} (window ${use.windowDays} days)`,
        action: `give it up: set status: expired (or delete ${file}) in a pull request; it can be asked for again`,
      });
    }
  }
  return out;
};
