import { parse } from 'yaml';
import { parseDecisionNote } from '../decision-record.js';
import { classifyPath } from '../parse-access-repo.js';
import { isRemoval, type IamAction } from './iam-operation.js';
import type { FormerGrant } from './plan-iam.js';

/**
 * Who ever held a grant, from the grant file paths the branch's history added
 * (`grants/<login>/<resource>.yaml`, any status): on a non-exclusive resource the plan may take access
 * only from people who hold or held a grant for it, and a path is how "held" is known after the file is gone.
 */
export function formerGrantsFromPaths(dir: string, paths: readonly string[]): FormerGrant[] {
  const former: FormerGrant[] = [];
  for (const path of paths) {
    const layout = classifyPath(dir, path);
    if (layout.kind === 'grant') former.push({ user: layout.login, resource: layout.resource, file: path });
  }
  return former;
}

/**
 * What earlier runs recorded they applied (decision notes): each access grantops gave, with the IAM user
 * it gave it to, which outlives a rename in people.yaml or the person's removal from it. Records that do
 * not parse or whose digest does not match say nothing.
 */
export function formerGrantsFromRecords(notes: readonly { commit: string; text: string }[]): FormerGrant[] {
  const former: FormerGrant[] = [];
  for (const note of notes) {
    for (const record of parseDecisionNote(note.text, note.commit).records) {
      if (record.kind !== 'apply') continue;
      for (const op of record.operations) {
        if (op.status !== 'done' || op.grant === null || isRemoval({ action: op.action as IamAction })) continue;
        const layout = classifyPath(record.dir, op.grant);
        if (layout.kind !== 'grant' || layout.resource !== op.resource) continue;
        former.push({ user: layout.login, resource: op.resource, file: op.grant, iamUser: op.principal });
      }
    }
  }
  return former;
}

/**
 * The IAM user each of `logins` had in one version of people.yaml. A version that does not parse names
 * nobody: an older one is read instead.
 */
export function findIamUsersIn(peopleYaml: string, logins: ReadonlySet<string>): Map<string, string> {
  const found = new Map<string, string>();
  // Most versions name none of the logins asked for: a substring test spares parsing them.
  if (![...logins].some((login) => peopleYaml.includes(login))) return found;
  let people: unknown;
  try {
    people = parse(peopleYaml);
  } catch {
    return found;
  }
  if (!Array.isArray(people)) return found;
  for (const person of people as unknown[]) {
    if (person === null || typeof person !== 'object') continue;
    const { login, aws } = person as { login?: unknown; aws?: { user?: unknown } | null };
    const user = aws?.user;
    if (typeof login === 'string' && typeof user === 'string' && logins.has(login) && !found.has(login)) found.set(login, user);
  }
  return found;
}
