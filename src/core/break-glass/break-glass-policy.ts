import { diagnostic, type Diagnostic } from '../diagnostic.js';
import { formatDuration, parseDuration } from '../duration.js';
import type { AccessRepo, BreakGlassPolicy, OrgConfig, Resource } from '../model.js';
import { locate, type PathSegment, type YamlSource } from '../yaml-source.js';

/** Break-glass gives hours, not days: the longest `breakGlass.maxAccess` any level or resource may set. */
export const BREAK_GLASS_MAX_ACCESS_LIMIT = '24h';

/** The break-glass policy a grant of `resource` at sensitivity `level` is under: the resource's own, else the level's. */
export function findBreakGlassPolicy(org: OrgConfig, resource: Resource, level: string): BreakGlassPolicy | undefined {
  return resource.breakGlass ?? org.sensitivity[level]?.breakGlass;
}

/** When a break-glass grant that landed at `mergedAt` must be ratified by. */
export function ratificationDeadline(policy: BreakGlassPolicy, mergedAt: Date): Date {
  return new Date(mergedAt.getTime() + parseDuration(policy.ratifyWithin));
}

/**
 * The checks of every `breakGlass:` block beyond its schema: its roles are held by someone (or nobody could
 * ever use it), and it gives hours, never more than 24h nor more than the level's own maxAccess.
 */
export function checkBreakGlassPolicies(repo: AccessRepo): Diagnostic[] {
  const org = repo.org;
  if (!org) return [];
  const held = new Set([...repo.people.values()].flatMap((p) => p.value.roles ?? []));
  const out: Diagnostic[] = [];
  const check = (policy: BreakGlassPolicy, file: string, source: YamlSource | undefined, at: PathSegment[], levelMaxAccess: string | undefined) => {
    policy.roles.forEach((role, i) => {
      if (!held.has(role)) out.push(diagnostic(file, locate(source, [...at, 'roles', i]), 'ref/unknown-role', `break-glass role "${role}" is held by nobody in people.yaml: nobody could break glass`));
    });
    const limit = Math.min(parseDuration(BREAK_GLASS_MAX_ACCESS_LIMIT), levelMaxAccess ? parseDuration(levelMaxAccess) : Infinity);
    if (parseDuration(policy.maxAccess) > limit) {
      out.push(diagnostic(file, locate(source, [...at, 'maxAccess']), 'break-glass/max-access', `break-glass maxAccess ${policy.maxAccess} is longer than ${formatDuration(limit)}: break-glass gives hours, at most ${BREAK_GLASS_MAX_ACCESS_LIMIT} and never more than the sensitivity's own maxAccess`));
    }
  };
  for (const [name, level] of Object.entries(org.value.sensitivity)) {
    if (level.breakGlass) check(level.breakGlass, org.file, org.source, ['sensitivity', name, 'breakGlass'], level.maxAccess);
  }
  for (const { value, file, source } of repo.resources.values()) {
    if (value.breakGlass) check(value.breakGlass, file, source, ['breakGlass'], org.value.sensitivity[value.effectiveSensitivity]?.maxAccess);
  }
  return out;
}
