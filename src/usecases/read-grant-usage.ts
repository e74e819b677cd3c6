import { parseDuration } from '../core/duration.js';
import type { AccessRepo, GrantFile } from '../core/model.js';
import { AccountPrincipals } from '../core/risk/account-principals.js';
import { resourcePermissions } from '../core/risk/resource-risk.js';
import { resolveRiskSettings } from '../core/risk/risk-settings.js';
import { assessGrantUse, type GrantUse } from '../core/usage/assess-grant-use.js';
import type { IamProvider, IamSystemRef, IamUsageReader, SnapshotPart } from '../ports.js';
import { defaultRiskScorer } from './risk.js';

/** Where usage facts come from: the account read-out and what the usage reader adds to it. */
export interface GrantUsageSource {
  provider: IamProvider;
  usage: IamUsageReader;
  /** Overrides `risk.unusedAfter` (e.g. `45d`), as `grantops inventory --unused-after` does. */
  unusedAfter?: string;
}

/** One grant to judge, at a time: now, or when its access ended. */
export interface GrantUseQuery {
  file: string;
  grant: Pick<GrantFile, 'user' | 'resource'>;
  at: Date;
}

/** Users and the policies a resource may name: roles play no part in a person's grant. */
const USAGE_SNAPSHOT_PARTS: readonly SnapshotPart[] = ['User', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'];

/**
 * Judges each grant's use with the rule the `grant/unused` recommendation uses (`assessGrantUse`): one
 * read-out (with usage) per system the grants are in, the resource's services from its policies. A grant
 * whose person, IAM user or resource is unknown is `no-facts`. Reads only; throws when the account cannot be read.
 */
export async function readGrantUsage(repo: AccessRepo, queries: readonly GrantUseQuery[], source: GrantUsageSource): Promise<Map<string, GrantUse>> {
  const out = new Map<string, GrantUse>(queries.map((q) => [q.file, { verdict: 'no-facts' }]));
  const org = repo.org?.value;
  if (!org) return out;
  const windowMs = source.unusedAfter ? parseDuration(source.unusedAfter) : resolveRiskSettings(org).unusedAfterMs;

  const bySystem = new Map<string, GrantUseQuery[]>();
  for (const query of queries) {
    const system = repo.resources.get(query.grant.resource)?.value.system;
    if (!system || org.systems[system]?.type !== 'aws' || !repo.people.get(query.grant.user)?.value.aws?.user) continue;
    bySystem.set(system, [...(bySystem.get(system) ?? []), query]);
  }
  if (bySystem.size === 0) return out;

  const scorer = await defaultRiskScorer();
  for (const [id, systemQueries] of bySystem) {
    const system: IamSystemRef = { id, config: org.systems[id]! };
    const snapshot = await source.usage.addUsage(system, await source.provider.readSnapshot(system, { include: USAGE_SNAPSHOT_PARTS }));
    const principals = new AccountPrincipals(scorer, snapshot);
    const users = new Map(snapshot.UserDetailList.map((u) => [u.UserName, u]));
    const services = new Map<string, string[] | undefined>();
    const servicesOf = (resourceId: string): string[] | undefined => {
      if (!services.has(resourceId)) {
        const { policies, unresolved } = resourcePermissions(scorer, repo.resources.get(resourceId)!.value, snapshot, principals);
        // Services read from a policy the read-out lacks are not known: then no per-service claim.
        services.set(resourceId, unresolved.length === 0 ? scorer.allowedServices(policies) : undefined);
      }
      return services.get(resourceId);
    };
    for (const query of systemQueries) {
      const user = users.get(repo.people.get(query.grant.user)!.value.aws!.user!);
      if (!user) continue;
      out.set(query.file, assessGrantUse({ user, services: servicesOf(query.grant.resource), at: query.at, windowMs }));
    }
  }
  return out;
}
