import { ORG_OWNER_ROLE } from '../approval/approval-result.js';
import type { NotificationRules } from './notification-rules.js';
import type { GrantRef, NotificationEvent, Recipient, RecipientRole } from './notification-event.js';

/** A person an event reaches, with every part they play in it and how to reach them. */
export interface ResolvedRecipient {
  login: string;
  as: RecipientRole[];
  name?: string;
  email?: string;
}

/** The grants an event is about (none for drift). */
export function grantsOf(event: NotificationEvent): GrantRef[] {
  if ('grant' in event) return [event.grant];
  if ('grants' in event) return event.grants;
  return [];
}

/** The sensitivity level in force for a grant: as the event says, else the resource's. */
export function levelOf(grant: GrantRef, rules: NotificationRules): string | undefined {
  return grant.sensitivity ?? rules.resources.get(grant.resource)?.value.effectiveSensitivity;
}

/**
 * Who an event reaches: the people it names, and for each grant it is about, the people who fill the
 * `notify:` roles of the grant's sensitivity level (`owner`: the resource's owners; `manager`: the
 * grantee's manager; `org-owner`: grantops.yaml's owners; any other role: everyone holding it). Each
 * person once, with all their parts, in the order first met.
 */
export function resolveRecipients(event: NotificationEvent, rules: NotificationRules): ResolvedRecipient[] {
  const found = new Map<string, ResolvedRecipient>();
  const add = ({ login, as }: Recipient) => {
    const seen = found.get(login);
    if (seen) {
      if (!seen.as.includes(as)) seen.as.push(as);
      return;
    }
    const person = rules.people.get(login)?.value;
    found.set(login, { login, as: [as], ...(person?.name ? { name: person.name } : {}), ...(person?.email ? { email: person.email } : {}) });
  };
  event.recipients.forEach(add);
  const org = rules.org?.value;
  for (const grant of grantsOf(event)) {
    const level = levelOf(grant, rules);
    for (const role of (level && org?.sensitivity[level]?.notify) || []) {
      for (const login of fillersOf(role, grant, rules)) add({ login, as: role });
    }
  }
  return [...found.values()];
}

function fillersOf(role: string, grant: GrantRef, rules: NotificationRules): string[] {
  switch (role) {
    case 'owner':
      return rules.resources.get(grant.resource)?.value.owners ?? [];
    case 'manager': {
      const manager = rules.people.get(grant.user)?.value.manager;
      return manager ? [manager] : [];
    }
    case ORG_OWNER_ROLE:
      return rules.org?.value.owners ?? [];
    default:
      return [...rules.people.values()].filter((p) => p.value.roles?.includes(role)).map((p) => p.value.login);
  }
}
