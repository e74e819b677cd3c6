import type { PolicyDocument, PolicyStatement } from '../model.js';
import { compileActionPattern } from './action-pattern.js';
import { accountOfArn } from './arn-pattern.js';
import { judgeCondition } from './judge-condition.js';

/** One statement of a role's trust policy that lets someone call sts:AssumeRole (or denies it). */
interface TrustStatement {
  effect: 'Allow' | 'Deny';
  /** `Principal.AWS` values: principal ARNs, account roots (`arn:aws:iam::ACCOUNT:root`) or bare account ids. */
  aws: string[];
  /** The accounts among them (bare ids and roots). */
  accounts: Set<string>;
  services: string[];
  /** `Principal: "*"` or `AWS: "*"`. */
  anyone: boolean;
  /** Under a condition that cannot be decided offline. */
  conditional: boolean;
}

/** How a trust policy lets a principal in: by name (no identity permission needed), or through its account. */
export interface TrustMatch {
  by: 'name' | 'account';
  conditional: boolean;
}

/** A role's trust policy, read once: who may assume the role. */
export interface TrustPolicy {
  statements: TrustStatement[];
}

const list = (value: unknown): string[] => (typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const ASSUME = ['sts:AssumeRole'];

function allowsAssumeRole(statement: PolicyStatement): boolean {
  if (statement.Action === undefined) return statement.NotAction !== undefined && !list(statement.NotAction).some((p) => ASSUME.some((a) => compileActionPattern(p).test(a)));
  return list(statement.Action).some((p) => ASSUME.some((a) => compileActionPattern(p).test(a)));
}

/**
 * Reads a trust policy at `at`: statements whose condition can never hold then are left out (a role grant
 * whose `DateLessThan aws:CurrentTime` has passed lets nobody in), and `NotPrincipal` is not followed.
 */
export function readTrustPolicy(document: PolicyDocument | undefined, at?: Date): TrustPolicy {
  const raw = document?.Statement;
  const statements = (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((s): s is PolicyStatement => typeof s === 'object' && s !== null);
  const out: TrustStatement[] = [];
  for (const s of statements) {
    if ((s.Effect !== 'Allow' && s.Effect !== 'Deny') || !allowsAssumeRole(s)) continue;
    const verdict = judgeCondition(s.Condition, at);
    if (verdict === 'never') continue;
    const principal = s.Principal;
    const anyone = principal === '*' || (typeof principal === 'object' && principal !== null && list((principal as Record<string, unknown>).AWS).includes('*'));
    const fields = typeof principal === 'object' && principal !== null ? (principal as Record<string, unknown>) : {};
    const aws = list(fields.AWS).filter((v) => v !== '*');
    const accounts = new Set(aws.map((v) => (/^\d{12}$/.test(v) ? v : /^arn:aws[a-z-]*:iam::\d{12}:root$/.test(v) ? accountOfArn(v) : undefined)).filter((v): v is string => v !== undefined));
    out.push({ effect: s.Effect, aws, accounts, services: list(fields.Service), anyone, conditional: verdict === 'unknown' });
  }
  return { statements: out };
}

function matches(statement: TrustStatement, arn: string, account: string | undefined): TrustMatch['by'] | undefined {
  if (statement.aws.includes(arn)) return 'name';
  if (statement.anyone) return 'account';
  if (account && statement.accounts.has(account)) return 'account';
  return undefined;
}

/**
 * Whether the trust policy lets the principal `arn` assume the role. By name, IAM needs nothing more in the
 * same account; through the account (or `*`), the principal's own policies must allow sts:AssumeRole on
 * the role too. An unconditional deny matching the principal wins.
 */
export function trustMatch(trust: TrustPolicy, arn: string, account = accountOfArn(arn)): TrustMatch | undefined {
  let best: TrustMatch | undefined;
  for (const s of trust.statements) {
    const by = matches(s, arn, account);
    if (!by) continue;
    if (s.effect === 'Deny') {
      if (!s.conditional) return undefined;
      continue;
    }
    if (!best || (best.by === 'account' && by === 'name') || (best.conditional && !s.conditional && best.by === by)) best = { by, conditional: s.conditional };
  }
  return best;
}

/** Whether the role can be assumed by an AWS service (`lambda.amazonaws.com`...), i.e. compute can run as it. */
export function trustsService(trust: TrustPolicy, service: string): boolean {
  const allowed = trust.statements.some((s) => s.effect === 'Allow' && s.services.includes(service));
  return allowed && !trust.statements.some((s) => s.effect === 'Deny' && !s.conditional && s.services.includes(service));
}

/** Whether any statement lets AWS principals (not services) in: the role can be an assume-role target at all. */
export function trustsAwsPrincipals(trust: TrustPolicy): boolean {
  return trust.statements.some((s) => s.effect === 'Allow' && (s.anyone || s.aws.length > 0));
}
