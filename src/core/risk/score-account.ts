import type { AccountSnapshot, InlinePolicy } from '../iam/account-snapshot.js';
import { accountGraphNodes } from './account-graph-nodes.js';
import { AccountPrincipals, inlineRef, type PrincipalKind } from './account-principals.js';
import type { RiskFinding } from './find-risk-findings.js';
import type { RiskScorer } from './risk-scorer.js';
import { scorePrincipalGraph, type Reach } from './score-principal-graph.js';

export interface PolicyRisk {
  /** A managed policy's ARN, or `inline:<owner kind>/<owner>/<policy name>`. */
  ref: string;
  name: string;
  kind: 'managed' | 'inline';
  /** Principals it is attached to (managed), or its owner (inline). */
  attachedTo: string[];
  score: number;
  findings: RiskFinding[];
  unknownActions: string[];
}

export interface PrincipalRisk {
  kind: PrincipalKind;
  name: string;
  arn: string;
  /** Its effective score: its own, or that of the worst principal it can become (`reach`), whichever is higher. */
  score: number;
  /** The score of its own permissions; its findings' points sum to it. */
  ownScore: number;
  /** The worst principal it can become, with the path, when that scores higher than its own permissions. */
  reach?: Reach;
  findings: RiskFinding[];
  /** Every policy that reaches it (refs as in PolicyRisk), groups' policies included. */
  policies: string[];
  /** Attachments the snapshot holds no document for: their permissions are not in the score. */
  unresolved: string[];
}

export interface AccountRiskReport {
  model: string;
  /** When conditions on the clock were judged. */
  at?: string;
  catalogue: string;
  /** Highest score first. */
  policies: PolicyRisk[];
  /** Highest score first. */
  principals: PrincipalRisk[];
}

const byScore = <T extends { score: number; name: string }>(a: T, b: T) => b.score - a.score || a.name.localeCompare(b.name);

/**
 * Scores the account's policies (its own managed policies, the AWS managed ones attached to something,
 * every inline policy) and every principal: the union of what reaches it, and the worst principal it can
 * become in the principal graph. Conditions on the clock are judged at `at`.
 */
export function scoreAccount(scorer: RiskScorer, snapshot: AccountSnapshot, options: { at?: Date } = {}): AccountRiskReport {
  const { at } = options;
  const principals = new AccountPrincipals(scorer, snapshot, at);
  const attachedTo = new Map<string, string[]>();
  const note = (arn: string, who: string) => attachedTo.set(arn, [...(attachedTo.get(arn) ?? []), who]);
  for (const u of snapshot.UserDetailList) for (const a of u.AttachedManagedPolicies ?? []) note(a.PolicyArn, `user/${u.UserName}`);
  for (const g of snapshot.GroupDetailList) for (const a of g.AttachedManagedPolicies ?? []) note(a.PolicyArn, `group/${g.GroupName}`);
  for (const r of snapshot.RoleDetailList) for (const a of r.AttachedManagedPolicies ?? []) note(a.PolicyArn, `role/${r.RoleName}`);

  // AWS's own managed policies (a read-out may carry all ~1,300) count when something here attaches them.
  const inAccount = snapshot.Policies.filter((p) => !/^arn:aws[a-z-]*:iam::aws:policy\//.test(p.Arn) || attachedTo.has(p.Arn) || (p.AttachmentCount ?? 0) > 0);
  const policies: PolicyRisk[] = inAccount.map((p) => {
    const report = scorer.scorePermissions([principals.managedPermissions(p.Arn)!]);
    return { ref: p.Arn, name: p.PolicyName, kind: 'managed' as const, attachedTo: attachedTo.get(p.Arn) ?? [], ...report };
  });
  const inline = (kind: PrincipalKind, owner: string, list: InlinePolicy[] | undefined) => {
    for (const p of list ?? []) {
      policies.push({ ref: inlineRef(kind, owner, p.PolicyName), name: p.PolicyName, kind: 'inline', attachedTo: [`${kind}/${owner}`], ...scorer.scorePolicy(p.PolicyDocument, at) });
    }
  };
  for (const u of snapshot.UserDetailList) inline('user', u.UserName, u.UserPolicyList);
  for (const g of snapshot.GroupDetailList) inline('group', g.GroupName, g.GroupPolicyList);
  for (const r of snapshot.RoleDetailList) inline('role', r.RoleName, r.RolePolicyList);

  const entries = principals.all();
  const { risks } = scorePrincipalGraph(scorer, accountGraphNodes(principals, entries));
  const principalRisks: PrincipalRisk[] = entries.map((p) => {
    const { own, reach } = risks.get(`${p.kind}/${p.name}`)!;
    const score = Math.max(own.score, reach?.score ?? 0);
    return { kind: p.kind, name: p.name, arn: p.arn, score, ownScore: own.score, ...(reach && { reach }), findings: own.findings, policies: p.policies.map((x) => x.ref), unresolved: p.unresolved };
  });
  return { model: scorer.model.version, catalogue: scorer.index.source, ...(at && { at: at.toISOString() }), policies: policies.sort(byScore), principals: principalRisks.sort(byScore) };
}
