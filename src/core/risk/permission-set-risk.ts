import type { PermissionSetDetail } from '../identity-center/identity-center-state.js';
import type { RiskFinding } from './find-risk-findings.js';
import { referenceName, type PermissionSetPolicySource, type PolicyLookup } from './permission-set-policies.js';
import type { PolicyPermissions } from './policy-permissions.js';
import type { RiskScorer } from './risk-scorer.js';

/** One policy of a permission set, as it is in one account. */
export interface PermissionSetPolicy {
  /** `inline:permission-set/<name>`, an AWS managed policy's ARN, or a customer managed policy's ARN in the account. */
  ref: string;
  kind: 'inline' | 'aws-managed' | 'customer-managed';
  /** The account a customer managed policy was found in. */
  account?: string;
  permissions: PolicyPermissions;
}

/** What a permission set hands out in one account: its policies, within its boundary. */
export interface PermissionSetContent {
  policies: PermissionSetPolicy[];
  /** The permissions boundary that caps the policies, when it could be read. */
  boundary?: { ref: string; permissions: PolicyPermissions };
  /** Policies whose document could not be found (ref, why): each is a finding of unknown risk. */
  unreadable: { ref: string; why: string }[];
  /** Everything that could not be read, said for a person (the unreadable policies, a boundary not applied). */
  unresolved: string[];
}

/** A finding with the permission set's policies it comes from. */
export interface TracedFinding extends RiskFinding {
  /**
   * Refs (as `PermissionSetPolicy.ref`) of the policies that produce it: those that do alone, else all
   * those whose union does. For a finding of unknown risk, the policy that could not be read.
   */
  from: string[];
}

export interface PermissionSetRisk {
  name: string;
  arn: string;
  /** The worst of its accounts' scores, 0-100; its findings' points sum to it. */
  score: number;
  /** Of the account that scores worst, most reach first. */
  findings: TracedFinding[];
  unknownActions: string[];
  /** Each policy of that account scored alone (without the boundary). */
  policies: { ref: string; kind: PermissionSetPolicy['kind']; account?: string; score: number }[];
  /** The boundary that capped the score, when there is one and it could be read. */
  boundary?: string;
  /** The score in each account it was scored for (only differs between accounts through customer managed policies). */
  accounts: { account: string; score: number }[];
  /** The account the findings are from, when it was scored for accounts. */
  account?: string;
  /** Service prefixes it allows some action of. */
  services: string[];
  privilegeEscalation: boolean;
  unresolved: string[];
}

export const UNREADABLE_POLICY_RULE = 'broad-access/unreadable-policy';

export function inlinePermissionSetRef(name: string): string {
  return `inline:permission-set/${name}`;
}

/** Whether what a permission set hands out depends on the account (a customer managed policy or boundary). */
export function variesByAccount(set: PermissionSetDetail): boolean {
  return (set.CustomerManagedPolicyReferences?.length ?? 0) > 0 || set.PermissionsBoundary?.CustomerManagedPolicyReference !== undefined;
}

/**
 * The permission set's policies as they are in `account` (customer managed policies are looked up
 * there; without an account they cannot be), read into permissions, conditions on the clock judged at `at`.
 */
export function permissionSetContent(scorer: RiskScorer, set: PermissionSetDetail, source: PermissionSetPolicySource, account: string | undefined, at?: Date): PermissionSetContent {
  const out: PermissionSetContent = { policies: [], unreadable: [], unresolved: [] };
  const customer = (reference: { Name: string; Path?: string }): PolicyLookup =>
    account ? source.customerManaged(reference, account) : { unresolved: `customer managed policy ${referenceName(reference)}: the permission set is scored for no account` };
  const add = (kind: PermissionSetPolicy['kind'], ref: string, lookup: PolicyLookup) => {
    if ('unresolved' in lookup) {
      out.unreadable.push({ ref, why: lookup.unresolved });
      out.unresolved.push(lookup.unresolved);
    } else if (!lookup.document) {
      const why = `${kind} policy ${lookup.arn} has no document in its read-out`;
      out.unreadable.push({ ref: lookup.arn, why });
      out.unresolved.push(why);
    } else {
      out.policies.push({ ref: lookup.arn, kind, ...(kind === 'customer-managed' && account ? { account } : {}), permissions: scorer.permissionsOf(lookup.document, at) });
    }
  };
  if (set.InlinePolicy) out.policies.push({ ref: inlinePermissionSetRef(set.Name), kind: 'inline', permissions: scorer.permissionsOf(set.InlinePolicy, at) });
  for (const p of set.AttachedManagedPolicies ?? []) add('aws-managed', p.Arn, source.awsManaged(p.Arn));
  for (const r of set.CustomerManagedPolicyReferences ?? []) add('customer-managed', `customer-managed:${referenceName(r)}`, customer(r));

  const boundary = set.PermissionsBoundary;
  const lookup = boundary?.ManagedPolicyArn ? source.awsManaged(boundary.ManagedPolicyArn) : boundary?.CustomerManagedPolicyReference ? customer(boundary.CustomerManagedPolicyReference) : undefined;
  if (lookup && 'unresolved' in lookup) out.unresolved.push(`permissions boundary not applied (the score may be too high): ${lookup.unresolved}`);
  else if (lookup && !lookup.document) out.unresolved.push(`permissions boundary not applied (the score may be too high): ${lookup.arn} has no document in its read-out`);
  else if (lookup) out.boundary = { ref: lookup.arn, permissions: scorer.permissionsOf(lookup.document, at) };
  return out;
}

/**
 * A policy whose document cannot be found could allow anything: it counts in the model's top tier
 * ("fail closed"), never as nothing, and says which policy it is and why.
 */
function unreadableFinding(scorer: RiskScorer, ref: string, why: string): TracedFinding {
  return {
    rule: UNREADABLE_POLICY_RULE,
    category: 'broad-access',
    severity: 'high',
    tier: scorer.model.tiers[0]!.id,
    points: 0,
    actions: [],
    source: 'unreadable',
    constrained: false,
    description: `${why}: what it allows is not known, so it counts as the most a policy can allow until it can be read`,
    from: [ref],
  };
}

/** Scores what a permission set hands out in one account, each finding traced to the policies it comes from. */
export function scorePermissionSetContent(scorer: RiskScorer, content: PermissionSetContent) {
  const permissions = content.policies.map((p) => p.permissions);
  const alone = content.policies.map((p) => ({ policy: p, report: scorer.scorePermissions([p.permissions]) }));
  const extra = unreadableFindings(scorer, content);
  const report = scorer.scorePermissions(permissions, content.boundary?.permissions, { extra });
  for (const finding of report.findings as TracedFinding[]) {
    if (finding.rule === UNREADABLE_POLICY_RULE) continue;
    const own = alone.filter((a) => a.report.findings.some((f) => f.rule === finding.rule)).map((a) => a.policy.ref);
    finding.from = own.length > 0 ? own : alone.filter((a) => !a.policy.permissions.allowed.isEmpty()).map((a) => a.policy.ref);
  }
  return {
    ...report,
    findings: report.findings as TracedFinding[],
    policies: alone.map(({ policy, report }) => ({ ref: policy.ref, kind: policy.kind, ...(policy.account ? { account: policy.account } : {}), score: report.score })),
    services: scorer.allowedServices(permissions, content.boundary?.permissions),
  };
}

/**
 * Scores a permission set like a principal: its inline policy, AWS managed and customer managed
 * policies together, capped by its permissions boundary. What it hands out can differ by account
 * (customer managed policies are looked up in each), so it is scored in each of `accounts` and reports
 * the worst; without accounts, customer managed references are unresolved. A policy that cannot be read
 * is a finding of unknown risk in the top tier, never a silent zero.
 */
export function scorePermissionSet(scorer: RiskScorer, set: PermissionSetDetail, source: PermissionSetPolicySource, options: { accounts?: readonly string[]; at?: Date } = {}): PermissionSetRisk {
  return assessPermissionSet(scorer, set, source, options).risk;
}

/** `scorePermissionSet`, with what the set hands out in the account that scores worst. */
export function assessPermissionSet(scorer: RiskScorer, set: PermissionSetDetail, source: PermissionSetPolicySource, options: { accounts?: readonly string[]; at?: Date } = {}): { risk: PermissionSetRisk; worst: PermissionSetContent } {
  const accounts = [...new Set(options.accounts ?? [])].sort();
  const varies = variesByAccount(set);
  const scoreIn = (account: string | undefined) => {
    const content = permissionSetContent(scorer, set, source, account, options.at);
    return { account, content, scored: scorePermissionSetContent(scorer, content) };
  };
  const runs = varies && accounts.length > 0 ? accounts.map(scoreIn) : [scoreIn(accounts[0])];
  const worst = runs.reduce((a, b) => (b.scored.score > a.scored.score ? b : a));
  const { score, findings, unknownActions, policies, services } = worst.scored;
  const risk: PermissionSetRisk = {
    name: set.Name,
    arn: set.PermissionSetArn,
    score,
    findings,
    unknownActions,
    policies,
    ...(worst.content.boundary ? { boundary: worst.content.boundary.ref } : {}),
    accounts: varies ? runs.filter((r) => r.account).map((r) => ({ account: r.account!, score: r.scored.score })) : accounts.map((account) => ({ account, score })),
    ...(accounts.length > 0 ? { account: worst.account ?? accounts[0] } : {}),
    services,
    privilegeEscalation: findings.some((f) => f.category === 'privilege-escalation'),
    unresolved: [...new Set(runs.flatMap((r) => r.content.unresolved))],
  };
  return { risk, worst: worst.content };
}

/** The findings of unknown risk for a content's unreadable policies (a resource's score carries them too). */
export function unreadableFindings(scorer: RiskScorer, content: PermissionSetContent): TracedFinding[] {
  return content.unreadable.map((u) => unreadableFinding(scorer, u.ref, u.why));
}
