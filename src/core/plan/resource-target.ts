import type { PolicyDocument, ResourceGrants } from '../model.js';
import { inlinePolicyName } from './iam-operation.js';

/** What a resource hands a user, in IAM's terms. */
export type ResourceTarget =
  | { kind: 'policy'; name: string }
  | { kind: 'group'; name: string }
  | { kind: 'inline'; name: string; document: PolicyDocument };

export function resourceTarget(resourceId: string, grants: ResourceGrants): ResourceTarget {
  if ('managedPolicy' in grants) return { kind: 'policy', name: grants.managedPolicy };
  if ('group' in grants) return { kind: 'group', name: grants.group };
  return { kind: 'inline', name: inlinePolicyName(resourceId), document: grants.inlinePolicy };
}

/** One user's hold on one target: the unit plans add, keep and remove. */
export function holdingKey(kind: ResourceTarget['kind'], user: string, target: string): string {
  return `${kind}\u0000${user}\u0000${target}`;
}

export function isAwsManagedPolicy(arn: string): boolean {
  return /^arn:aws[a-z-]*:iam::aws:policy\//.test(arn);
}
