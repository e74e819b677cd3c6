import { isTeamRef } from './approval/approver-pool.js';
import { ORG_OWNER_ROLE } from './approval/approval-result.js';
import { diagnostic, type Diagnostic } from './diagnostic.js';
import { checkGlob } from './glob.js';
import { checkBreakGlassPolicies } from './break-glass/break-glass-policy.js';
import { checkGrantLimits } from './grant-limits.js';
import { checkRiskSettings } from './risk/check-risk-settings.js';
import { checkNotificationSettings } from './notify/check-notification-settings.js';
import { findManagerCycles } from './manager-chain.js';
import type { AccessRepo, GrantFile, Sourced } from './model.js';
import { COMMON_SYSTEM_FIELDS } from './systems/system-type.js';
import { systemTypeOf } from './systems/registry.js';
import { locate } from './yaml-source.js';

/** Roles the evaluator understands by themselves; any other approver role must be held by someone. */
export const BUILT_IN_ROLES = ['manager', 'owner'] as const;

/**
 * The checks beyond the schema (foundation issue, item 5): every reference resolves, no manager cycle,
 * and every grant within its sensitivity's limits at `now`.
 */
export function validateAccessRepo(repo: AccessRepo, now: Date): Diagnostic[] {
  const out: Diagnostic[] = [];
  const org = repo.org;
  const person = (login: string) => repo.people.has(login);
  // A team's members are GitHub's to say (approver-pool.ts); only people are looked up here.
  const knownOwner = (owner: string) => isTeamRef(owner) || person(owner);
  const heldRoles = new Set([...repo.people.values()].flatMap((p) => p.value.roles ?? []));

  if (org) {
    out.push(...checkRiskSettings(org));
    out.push(...checkNotificationSettings(org));
    org.value.owners.forEach((owner, i) => {
      if (!knownOwner(owner)) out.push(diagnostic(org.file, locate(org.source, ['owners', i]), 'ref/unknown-person', `org owner "${owner}" is not in people.yaml`));
    });
    const fallback = org.value.approvalFallback;
    if (fallback !== undefined && fallback !== ORG_OWNER_ROLE && !isTeamRef(fallback) && !heldRoles.has(fallback)) {
      out.push(diagnostic(org.file, locate(org.source, ['approvalFallback']), 'ref/unknown-role', `approvalFallback "${fallback}" is neither org-owner, a team (@org/team-slug), nor a role anybody in people.yaml holds`));
    }
    (org.value.defaults ?? []).forEach((entry, i) => {
      const problem = checkGlob(entry.resources);
      if (problem) out.push(diagnostic(org.file, locate(org.source, ['defaults', i, 'resources']), 'rules/glob', `defaults pattern refused: ${problem}`));
    });
    (org.value.protectedPaths ?? []).forEach((glob, i) => {
      const problem = checkGlob(glob);
      if (problem) out.push(diagnostic(org.file, locate(org.source, ['protectedPaths', i]), 'rules/glob', `protectedPaths pattern refused: ${problem}`));
    });
    (org.value.defaults ?? []).forEach((entry, i) => {
      if (!(entry.sensitivity in org.value.sensitivity)) {
        out.push(diagnostic(org.file, locate(org.source, ['defaults', i, 'sensitivity']), 'ref/unknown-sensitivity', `sensitivity "${entry.sensitivity}" is not defined under "sensitivity"`));
      }
    });
    for (const [id, config] of Object.entries(org.value.systems)) {
      const type = systemTypeOf(config);
      for (const field of Object.keys(config)) {
        if (COMMON_SYSTEM_FIELDS.includes(field) || type.configFields.includes(field)) continue;
        out.push(diagnostic(org.file, locate(org.source, ['systems', id, field], true), 'system/field-of-other-type', `"${field}" is not a field of a system of type ${config.type} (its fields: ${[...COMMON_SYSTEM_FIELDS, ...type.configFields].join(', ')})`));
      }
    }
    for (const [name, level] of Object.entries(org.value.sensitivity)) {
      for (const field of ['approvers', 'notify'] as const) {
        (level[field] ?? []).forEach((role, i) => {
          if (!(BUILT_IN_ROLES as readonly string[]).includes(role) && !heldRoles.has(role) && !(field === 'notify' && role === ORG_OWNER_ROLE)) {
            out.push(
              diagnostic(org.file, locate(org.source, ['sensitivity', name, field, i]), 'ref/unknown-role', `role "${role}" is neither manager, owner nor a role anyone in people.yaml holds: nobody could ${field === 'approvers' ? 'approve' : 'be notified'}`),
            );
          }
        });
      }
    }
  }

  // Where each login is first listed: looked up per person, so an index (not findIndex) keeps 10k people linear.
  const listedAt = new Map<string, number>();
  (repo.peopleFile?.value ?? []).forEach((x, i) => {
    if (!listedAt.has(x.login)) listedAt.set(x.login, i);
  });
  const awsUsers = new Map<string, string>();
  for (const [login, p] of repo.people) {
    const at = listedAt.get(login) ?? 0;
    if (p.value.manager !== undefined && !person(p.value.manager)) {
      out.push(diagnostic(p.file, locate(p.source, [at, 'manager']), 'ref/unknown-manager', `manager "${p.value.manager}" of "${login}" is not in people.yaml`));
    }
    if (p.value.manager === login) {
      out.push(diagnostic(p.file, locate(p.source, [at, 'manager']), 'people/manager-cycle', `"${login}" is their own manager`));
    }
    const awsUser = p.value.aws?.user;
    if (awsUser !== undefined) {
      const other = awsUsers.get(awsUser);
      if (other !== undefined) {
        out.push(diagnostic(p.file, locate(p.source, [at, 'aws', 'user']), 'people/duplicate-aws-user', `IAM user "${awsUser}" is also mapped to "${other}"`));
      } else {
        awsUsers.set(awsUser, login);
      }
    }
  }
  for (const cycle of findManagerCycles(repo.people)) {
    if (cycle.length < 2) continue; // self-management is reported above, with its own message
    const first = repo.people.get(cycle[0]!)!;
    const at = listedAt.get(cycle[0]!) ?? 0;
    out.push(diagnostic(first.file, locate(first.source, [at, 'manager']), 'people/manager-cycle', `manager cycle: ${[...cycle, cycle[0]].join(' -> ')}`));
  }

  for (const resource of repo.resources.values()) {
    const { value, file, source } = resource;
    const system = org?.value.systems[value.system];
    if (org && !system) {
      out.push(diagnostic(file, locate(source, ['system']), 'ref/unknown-system', `system "${value.system}" is not defined in grantops.yaml`));
    }
    if (system && !systemTypeOf(system).kinds.some((k) => k.accepts(value.grants))) {
      out.push(diagnostic(file, locate(source, ['grants']), 'resource/kind-not-in-system', `system "${value.system}" is of type ${system.type}, which cannot hand out ${Object.keys(value.grants).join(' + ')}`));
    }
    value.owners.forEach((owner, i) => {
      if (!knownOwner(owner)) out.push(diagnostic(file, locate(source, ['owners', i]), 'ref/unknown-person', `owner "${owner}" is not in people.yaml`));
    });
  }

  out.push(...checkBreakGlassPolicies(repo));
  out.push(...validateGrants(repo, repo.grants.values(), now));
  return out;
}

/**
 * The checks of each grant against the rules (references, provisionability, limits at `now`). Grants do
 * not depend on each other, so a caller that already validated the rules can check new grants alone.
 */
export function validateGrants(repo: AccessRepo, grants: Iterable<Sourced<GrantFile>>, now: Date): Diagnostic[] {
  const out: Diagnostic[] = [];
  const org = repo.org;
  for (const grant of grants) {
    const { value, file, source } = grant;
    const grantee = repo.people.get(value.user);
    const resource = repo.resources.get(value.resource);
    if (!grantee) out.push(diagnostic(file, locate(source, ['user']), 'ref/unknown-person', `user "${value.user}" is not in people.yaml`));
    if (!resource) {
      out.push(diagnostic(file, locate(source, ['resource']), 'ref/unknown-resource', `resource "${value.resource}" is not declared under resources/`));
      continue;
    }
    const system = org?.value.systems[resource.value.system];
    const principal = grantee && system ? systemTypeOf(system).principalOf(grantee.value) : undefined;
    if (principal && 'missing' in principal && resource.value.provision !== 'manual') {
      out.push(diagnostic(file, locate(source, ['user']), 'grant/no-aws-user', `"${value.user}" ${principal.missing}, so "${value.resource}" cannot be provisioned`));
    }
    if (!org || !(resource.value.effectiveSensitivity in org.value.sensitivity)) continue;
    // Every limit holds whatever the status: an expired grant still carries the approval a renewal rests
    // on, so a status cannot exempt a file from the approvalTtl it would later be renewed under.
    for (const problem of checkGrantLimits(org.value, resource.value, value, now)) {
      out.push(diagnostic(file, locate(source, [problem.field]), problem.rule, problem.message));
    }
    if (value.status === 'active') {
      if (Date.parse(value.expires) <= now.getTime()) {
        out.push(diagnostic(file, locate(source, ['expires']), 'grant/lapsed', `access expired at ${value.expires} but status is still active: the next expire run revokes it`, 'warning'));
      }
    }
  }
  return out;
}
