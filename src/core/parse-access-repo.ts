import { posix } from 'node:path';
import { START, diagnostic, type Diagnostic } from './diagnostic.js';
import type { AccessRepo, GrantFile, OrgConfig, Person, ResourceFile, Sourced } from './model.js';
import type { RepoSnapshot } from './repo-file.js';
import { validateSchema, type SchemaKind } from './schemas/index.js';
import { findLiteralSecrets } from './notify/find-literal-secrets.js';
import { locate, parseYamlFile } from './yaml-source.js';
import { resolveSensitivity } from './resolve-sensitivity.js';

export interface ParseResult {
  repo: AccessRepo;
  diagnostics: Diagnostic[];
}

type Layout =
  | { kind: 'org' }
  | { kind: 'people' }
  | { kind: 'resource'; system: string; id: string }
  | { kind: 'grant'; login: string; resource: string }
  | { kind: 'other' };

/** Where a file sits in the layout of DESIGN §2. */
export function classifyPath(dir: string, path: string): Layout {
  const rel = relativeTo(dir, path);
  const parts = rel.split('/');
  if (rel === 'grantops.yaml') return { kind: 'org' };
  if (rel === 'people.yaml') return { kind: 'people' };
  if (parts.length === 3 && parts[0] === 'resources' && parts[2]!.endsWith('.yaml')) {
    return { kind: 'resource', system: parts[1]!, id: parts[2]!.slice(0, -'.yaml'.length) };
  }
  if (parts.length === 3 && parts[0] === 'grants' && parts[2]!.endsWith('.yaml')) {
    return { kind: 'grant', login: parts[1]!, resource: parts[2]!.slice(0, -'.yaml'.length) };
  }
  return { kind: 'other' };
}

/** `posix.relative`, without its cost (resolving both against the working directory) for the usual case of a path inside `dir`. */
function relativeTo(dir: string, path: string): string {
  if (path.startsWith(`${dir}/`) && !dir.endsWith('/')) {
    const rel = path.slice(dir.length + 1);
    if (!/(^|\/)\.\.?(\/|$)|\/\/|\/$/.test(rel)) return rel;
  }
  return posix.relative(dir, path);
}

/** Every path under the access directory is a layout file or this error (DESIGN §8): nothing there is skipped. */
export function unexpectedFile(path: string): Diagnostic {
  return diagnostic(
    path,
    START,
    'layout/unexpected-file',
    'not part of the access layout (grantops.yaml, people.yaml, resources/<system>/<id>.yaml, grants/<login>/<resource>.yaml): the access directory holds nothing else, so remove or move it',
  );
}

/** True for files whose change alters the rules a pull request is judged by (DESIGN §3 rule 2). */
export function isRulesFile(dir: string, path: string): boolean {
  const kind = classifyPath(dir, path).kind;
  if (kind === 'org' || kind === 'people' || kind === 'resource') return true;
  const rel = relativeTo(dir, path);
  return rel.startsWith('resources/') || path.startsWith('schemas/');
}

/**
 * Parses every file of the access directory. Schema problems are reported here; references between
 * files are checked by `validateAccessRepo`. A file that fails its schema is left out of the model, so
 * later checks never see half-valid data.
 */
export function parseAccessRepo(snapshot: RepoSnapshot, onto?: AccessRepo): ParseResult {
  const { dir } = snapshot;
  // With `onto`, the snapshot's files are parsed on top of rules parsed before (the approval evaluator
  // parses a base's rules once and each pull request's grant files alone); `onto` itself is not changed.
  const repo: AccessRepo = onto
    ? { ...onto, people: new Map(onto.people), resources: new Map(onto.resources), grants: new Map(onto.grants) }
    : { dir, people: new Map(), resources: new Map(), grants: new Map() };
  const diagnostics: Diagnostic[] = [];
  const resourceFiles: Sourced<ResourceFile>[] = [];

  for (const entry of snapshot.unreadable ?? []) {
    diagnostics.push(diagnostic(entry.path, START, 'file/unreadable', entry.reason));
  }

  const orgPath = posix.join(dir, 'grantops.yaml');
  if (!onto && !snapshot.files.some((f) => f.path === orgPath) && !(snapshot.unreadable ?? []).some((u) => u.path === orgPath)) {
    diagnostics.push(diagnostic(orgPath, START, 'file/missing', 'grantops.yaml is missing: the access directory needs one'));
  }

  for (const file of snapshot.files) {
    const layout = classifyPath(dir, file.path);
    if (layout.kind === 'other') {
      // Whatever its name or extension: a file the layout does not know is never skipped (DESIGN §8).
      diagnostics.push(unexpectedFile(file.path));
      continue;
    }
    const parsed = parseYamlFile(file.path, file.content);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.value === undefined) continue;
    const schemaKind: SchemaKind = layout.kind;
    if (schemaKind === 'org') diagnostics.push(...findLiteralSecrets(parsed.value, file.path, parsed.source));
    const schemaProblems = validateSchema(schemaKind, parsed.value, file.path, parsed.source);
    diagnostics.push(...schemaProblems);
    if (schemaProblems.length > 0) continue;

    const sourced = { file: file.path, source: parsed.source };
    switch (layout.kind) {
      case 'org':
        repo.org = { ...sourced, value: parsed.value as OrgConfig };
        break;
      case 'people': {
        const people = parsed.value as Person[];
        repo.peopleFile = { ...sourced, value: people };
        people.forEach((person, index) => {
          if (repo.people.has(person.login)) {
            diagnostics.push(
              diagnostic(file.path, locate(parsed.source, [index, 'login']), 'people/duplicate-login', `person "${person.login}" is listed twice`),
            );
            return;
          }
          repo.people.set(person.login, { ...sourced, value: person });
        });
        break;
      }
      case 'resource': {
        const resource = parsed.value as ResourceFile;
        if (resource.id !== layout.id) {
          diagnostics.push(
            diagnostic(file.path, locate(parsed.source, ['id']), 'layout/resource-path', `resource id "${resource.id}" does not match its file name "${layout.id}.yaml"`),
          );
        }
        if (resource.system !== layout.system) {
          diagnostics.push(
            diagnostic(file.path, locate(parsed.source, ['system']), 'layout/resource-path', `system "${resource.system}" does not match its folder "resources/${layout.system}/"`),
          );
        }
        resourceFiles.push({ ...sourced, value: resource });
        break;
      }
      case 'grant': {
        const grant = parsed.value as GrantFile;
        if (grant.user !== layout.login) {
          diagnostics.push(
            diagnostic(file.path, locate(parsed.source, ['user']), 'layout/grant-path', `user "${grant.user}" does not match its folder "grants/${layout.login}/"`),
          );
        }
        if (grant.resource !== layout.resource) {
          diagnostics.push(
            diagnostic(file.path, locate(parsed.source, ['resource']), 'layout/grant-path', `resource "${grant.resource}" does not match its file name "${layout.resource}.yaml"`),
          );
        }
        repo.grants.set(file.path, { ...sourced, value: grant });
        break;
      }
    }
  }

  for (const resource of resourceFiles) {
    const existing = repo.resources.get(resource.value.id);
    if (existing) {
      diagnostics.push(
        diagnostic(resource.file, locate(resource.source, ['id']), 'resource/duplicate-id', `resource id "${resource.value.id}" is also declared in ${existing.file}`),
      );
      continue;
    }
    const resolved = resolveSensitivity(repo.org?.value, resource);
    diagnostics.push(...resolved.diagnostics);
    repo.resources.set(resource.value.id, { ...resource, value: { ...resource.value, effectiveSensitivity: resolved.sensitivity ?? '' } });
  }

  return { repo, diagnostics };
}
