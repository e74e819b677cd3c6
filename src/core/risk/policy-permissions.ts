import type { PolicyDocument, PolicyStatement } from '../model.js';
import type { ActionIndex } from './action-index.js';
import type { ActionSet } from './action-set.js';
import { isAwsManagedPolicyArn } from './arn-pattern.js';
import { judgeCondition } from './judge-condition.js';

/**
 * One statement kept for questions about a specific resource ("may this principal attach a policy to
 * itself?"), which the action sets alone cannot answer.
 */
export interface CompiledStatement {
  effect: 'Allow' | 'Deny';
  actions: ActionSet;
  /** `Resource` patterns; absent for `NotResource` (then `notResources`) and for no element at all (`*`). */
  resources?: string[];
  notResources?: string[];
  /** Under a condition that cannot be decided offline: it may or may not apply to a request. */
  conditional: boolean;
}

/**
 * What one policy document allows and denies, as sets of catalogue actions. Kept apart (rather than
 * already subtracted) so that a principal's policies can be unioned first: a deny in one policy removes
 * what another allows.
 */
export interface PolicyPermissions {
  /** Allowed on some resource, under some condition. */
  allowed: ActionSet;
  /** Allowed on `*` (or through `NotResource`) with no condition: the resource constraint is absent. */
  unrestricted: ActionSet;
  /** Denied on `*` with no condition. Narrower denies may not apply to a request, so they are not subtracted. */
  denied: ActionSet;
  /** Action patterns that match nothing in the catalogue (a typo, or an action newer than the data). */
  unknownActions: string[];
  /** Every statement that can apply at the evaluation time (those whose condition can never hold are dropped). */
  statements: CompiledStatement[];
}

/** After denies (and a permissions boundary) are applied. */
export interface EffectivePermissions {
  allowed: ActionSet;
  unrestricted: ActionSet;
}

function list(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function statementsOf(document: PolicyDocument | undefined): PolicyStatement[] {
  const statement = document?.Statement;
  const all = Array.isArray(statement) ? statement : statement ? [statement] : [];
  return all.filter((s): s is PolicyStatement => typeof s === 'object' && s !== null);
}

/**
 * Expands each statement's `Action` (or the complement of its `NotAction`) and classifies it by resource
 * constraint. A statement whose resources are all specific ARNs cannot allow actions that support no
 * resource type (AWS evaluates those against `*`), so those are left out of it. Conditions that depend
 * only on the clock are decided at `at` (see `judgeCondition`): a statement that can never apply is
 * dropped, one whose condition holds counts as unconditioned. Without `at` every condition is undecided.
 */
export function readPolicyPermissions(index: ActionIndex, document: PolicyDocument | undefined, at?: Date): PolicyPermissions {
  const allowed = index.empty();
  const unrestricted = index.empty();
  const denied = index.empty();
  const unknown = new Set<string>();
  const statements: CompiledStatement[] = [];

  for (const statement of statementsOf(document)) {
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') continue;
    const negated = statement.Action === undefined && statement.NotAction !== undefined;
    const actions = index.empty();
    for (const pattern of list(negated ? statement.NotAction : statement.Action)) {
      const expanded = index.expand(pattern);
      if (expanded) actions.addAll(expanded);
      else unknown.add(pattern);
    }
    if (negated) actions.invert();

    const verdict = judgeCondition(statement.Condition, at);
    if (verdict === 'never') continue;
    const conditioned = verdict === 'unknown';
    const resources = list(statement.Resource);
    const anyResource = statement.NotResource !== undefined || statement.Resource === undefined || resources.includes('*');
    const compiled: CompiledStatement = {
      effect: statement.Effect,
      actions,
      ...(statement.NotResource !== undefined ? { notResources: list(statement.NotResource) } : statement.Resource !== undefined ? { resources } : {}),
      conditional: conditioned,
    };
    statements.push(compiled);

    if (statement.Effect === 'Deny') {
      if (anyResource && statement.NotResource === undefined && !conditioned) denied.addAll(actions);
      continue;
    }
    if (anyResource) {
      allowed.addAll(actions);
      if (!conditioned) unrestricted.addAll(actions);
    } else if (resources.every(isAwsManagedPolicyArn)) {
      // AWS managed policies cannot be changed by anyone but AWS: on them only reading does anything.
      actions.retainAll(index.readOnly);
      allowed.addAll(actions);
    } else {
      allowed.addAll(actions.removeAll(index.wildcardOnly));
    }
  }
  return { allowed, unrestricted, denied, unknownActions: [...unknown].sort(), statements };
}

/**
 * The union of several policies (all attached to one principal), minus every unconditional deny among
 * them, and within a permissions boundary when there is one.
 */
export function combinePermissions(index: ActionIndex, policies: readonly PolicyPermissions[], boundary?: PolicyPermissions): EffectivePermissions {
  const allowed = index.empty();
  const unrestricted = index.empty();
  const denied = index.empty();
  for (const policy of policies) {
    allowed.addAll(policy.allowed);
    unrestricted.addAll(policy.unrestricted);
    denied.addAll(policy.denied);
  }
  if (boundary) {
    denied.addAll(boundary.denied);
    allowed.retainAll(boundary.allowed);
    unrestricted.retainAll(boundary.unrestricted);
  }
  allowed.removeAll(denied);
  unrestricted.removeAll(denied);
  return { allowed, unrestricted };
}
