import { arnPatternMatches } from './arn-pattern.js';
import type { CompiledStatement, PolicyPermissions } from './policy-permissions.js';

/** `allowed` outright, `conditional` under a condition that cannot be decided offline, undefined not at all. */
export type Authorization = 'allowed' | 'conditional' | undefined;

function appliesTo(statement: CompiledStatement, arn: string): boolean {
  if (statement.notResources) return !statement.notResources.some((p) => arnPatternMatches(p, arn));
  if (!statement.resources) return true;
  return statement.resources.some((p) => arnPatternMatches(p, arn));
}

function evaluate(policies: readonly PolicyPermissions[], action: number, arn: string): Authorization {
  let result: Authorization;
  for (const policy of policies) {
    if (!policy.allowed.has(action) && !policy.statements.some((s) => s.effect === 'Deny' && s.actions.has(action))) continue;
    for (const statement of policy.statements) {
      if (!statement.actions.has(action) || !appliesTo(statement, arn)) continue;
      if (statement.effect === 'Deny') {
        // A deny under an undecided condition may not apply: it does not take the access away (err high).
        if (!statement.conditional) return undefined;
      } else if (!statement.conditional) result = 'allowed';
      else result ??= 'conditional';
    }
  }
  return result;
}

/**
 * Whether a principal with these policies (and this permissions boundary) may call `action` (a catalogue
 * index) on the resource `arn`: IAM's evaluation of identity policies, an explicit deny winning, the
 * boundary capping what they allow.
 */
export function authorize(policies: readonly PolicyPermissions[], boundary: PolicyPermissions | undefined, action: number, arn: string): Authorization {
  const identity = evaluate(policies, action, arn);
  if (!identity || !boundary) return identity;
  const capped = evaluate([boundary], action, arn);
  if (!capped) return undefined;
  return identity === 'allowed' && capped === 'allowed' ? 'allowed' : 'conditional';
}
