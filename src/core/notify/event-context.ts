import type { AccessRepo } from '../model.js';
import type { GrantRef } from './notification-event.js';

/** What every event of one run shares. */
export interface EventContext {
  /** ISO 8601: the run's clock. */
  at: string;
  /** `owner/repo`, when known. */
  repository?: string;
  /** The commit the run worked at. */
  commit?: string;
}

/** A grant as events name it, with its system and level filled in from the rules. */
export function grantRefOf(repo: Pick<AccessRepo, 'resources'>, grant: { user: string; resource: string; file?: string; expires?: string }): GrantRef {
  const resource = repo.resources.get(grant.resource)?.value;
  return {
    user: grant.user,
    resource: grant.resource,
    ...(grant.file ? { file: grant.file } : {}),
    ...(resource ? { system: resource.system, sensitivity: resource.effectiveSensitivity } : {}),
    ...(grant.expires ? { expires: grant.expires } : {}),
  };
}

export function scopeOf(context: EventContext): { at: string; repository?: string } {
  return { at: context.at, ...(context.repository ? { repository: context.repository } : {}) };
}
