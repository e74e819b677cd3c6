import type { PolicyDocument, PolicyStatement } from '../model.js';
import type { ActionIndex } from './action-index.js';
import type { ActionSet } from './action-set.js';

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
 * resource type (AWS evaluates those against `*`), so those are left out of it.
 */
export function readPolicyPermissions(index: ActionIndex, document: PolicyDocument | undefined): PolicyPermissions {
  const allowed = index.empty();
  const unrestricted = index.empty();
  const denied = index.empty();
  const unknown = new Set<string>();

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

    const resources = list(statement.Resource);
    const anyResource = statement.NotResource !== undefined || statement.Resource === undefined || resources.includes('*');
    const conditioned = statement.Condition !== undefined && Object.keys(statement.Condition).length > 0;

    if (statement.Effect === 'Deny') {
      if (anyResource && statement.NotResource === undefined && !conditioned) denied.addAll(actions);
      continue;
    }
    if (anyResource) {
      allowed.addAll(actions);
      if (!conditioned) unrestricted.addAll(actions);
    } else {
      allowed.addAll(actions.removeAll(index.wildcardOnly));
    }
  }
  return { allowed, unrestricted, denied, unknownActions: [...unknown].sort() };
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
