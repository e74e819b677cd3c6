import type { EscalateSensitivity, SensitivityEscalation } from '../approval/approval-input.js';
import type { AccountSnapshot } from '../iam/account-snapshot.js';
import type { AccessRepo, GrantFile, Resource } from '../model.js';
import { AccountPrincipals } from './account-principals.js';
import { resourcePermissions, scoreResource } from './resource-risk.js';
import type { ResolvedRiskSettings } from './risk-settings.js';
import type { RiskScorer } from './risk-scorer.js';

/** What a grant does to risk: the resource's score, and the grantee's principal score before and after. */
export interface GrantRisk {
  user: string;
  resource: string;
  /** The resource's own score, 0-100. */
  score: number;
  /** Privilege-escalation rules the resource matches by itself. */
  escalationPaths: string[];
  /** The grantee's IAM user, when the account read-out has it. */
  grantee?: {
    iamUser: string;
    before: number;
    after: number;
    /** Privilege-escalation rules the grant newly opens to the grantee (alone or with what they hold). */
    opens: string[];
  };
  /** Why the score is incomplete (no account read-out for a managed policy or group, say). */
  unresolved: string[];
  /** Set when the grant needs the approvers of a more sensitive level, and why. */
  escalation?: SensitivityEscalation;
}

export interface GrantRiskContext {
  scorer: RiskScorer;
  settings: ResolvedRiskSettings;
  /** The rules at the base: people (for the grantee's IAM user) and resources. */
  repo: AccessRepo;
  /** Each system's account read-out, when there is one. */
  accounts: ReadonlyMap<string, AccountSnapshot>;
}

const escalationRules = (findings: { rule: string; category: string }[]) => findings.filter((f) => f.category === 'privilege-escalation').map((f) => f.rule);

/**
 * The grant's risk. "Opens a privilege-escalation path" compares the grantee's permissions with the grant
 * and without it, so a path completed by the union (PassRole held, Lambda granted) counts; without the
 * grantee in the account read-out, the resource's own paths stand in.
 */
export function assessGrantRisk(context: GrantRiskContext, grant: Pick<GrantFile, 'user' | 'resource'>, resource: Resource): GrantRisk {
  const { scorer, settings, repo, accounts } = context;
  const snapshot = accounts.get(resource.system);
  const principals = snapshot ? new AccountPrincipals(scorer, snapshot) : undefined;
  const own = scoreResource(scorer, resource, snapshot, principals);
  const out: GrantRisk = { user: grant.user, resource: resource.id, score: own.score, escalationPaths: escalationRules(own.findings), unresolved: own.unresolved };

  const iamUser = repo.people.get(grant.user)?.value.aws?.user;
  const current = iamUser && principals ? principals.user(iamUser) : undefined;
  let opens = out.escalationPaths;
  if (current && iamUser) {
    const held = current.policies.map((p) => p.permissions);
    const before = scorer.scorePermissions(held, current.boundary);
    const after = scorer.scorePermissions([...held, ...resourcePermissions(scorer, resource, snapshot, principals).policies], current.boundary);
    const had = new Set(escalationRules(before.findings));
    opens = escalationRules(after.findings).filter((rule) => !had.has(rule));
    out.grantee = { iamUser, before: before.score, after: after.score, opens };
  }

  if (settings.configured) {
    const reasons: string[] = [];
    if (settings.escalateOnPrivilegeEscalation && opens.length > 0) reasons.push(`it opens a privilege-escalation path to ${grant.user} (${opens.join(', ')})`);
    if (settings.escalateAbove !== undefined && own.score > settings.escalateAbove) reasons.push(`${resource.id} scores ${own.score}/100, above risk.escalateAbove (${settings.escalateAbove})`);
    if (reasons.length > 0) out.escalation = { levels: 1, why: `risk: ${reasons.join('; and ')}` };
  }
  return out;
}

/**
 * The approval evaluator's escalation seam, from risk: one level up for a grant that opens a
 * privilege-escalation path or whose resource scores above `risk.escalateAbove`. Only with a `risk:`
 * block in grantops.yaml; each grant is assessed once however often it is asked.
 */
export function riskEscalation(context: GrantRiskContext): { escalate: EscalateSensitivity; assess: (user: string, resource: string) => GrantRisk | undefined } {
  const cache = new Map<string, GrantRisk>();
  const assess = (user: string, resourceId: string, resource = context.repo.resources.get(resourceId)?.value) => {
    if (!resource) return undefined;
    const key = `${user}\u0000${resourceId}`;
    let risk = cache.get(key);
    if (!risk) cache.set(key, (risk = assessGrantRisk(context, { user, resource: resourceId }, resource)));
    return risk;
  };
  return {
    escalate: (grant, resource) => assess(grant.user, resource.id, resource)?.escalation,
    assess: (user, resource) => assess(user, resource),
  };
}
