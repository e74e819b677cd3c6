import { diagnostic, START, type Diagnostic } from '../diagnostic.js';
import { parseDuration } from '../duration.js';
import { editGrantYaml, writeGrantYaml } from '../edit-grant-yaml.js';
import { formatTime } from '../expiry/format-time.js';
import { approvalTtlMs, checkGrantLimits } from '../grant-limits.js';
import type { AccessRepo, GrantFile } from '../model.js';
import { locate, parseYamlFile } from '../yaml-source.js';
import { grantBranchName } from './grant-branch-name.js';

export interface GrantRequestOptions {
  resource: string;
  /** Who gets the access (`--for`, else the requester). */
  grantee: string;
  /** Who asks (the pull request's author). */
  requester: string;
  /** `--until`: when the access ends. Exactly one of `until` and `forDuration`. */
  until?: Date;
  /** `--for-duration`: how long from now, e.g. `7d`. */
  forDuration?: string;
  /** Required for a new grant; for an existing one, a different reason makes it a change that needs approval. */
  reason?: string;
  /** `--approval-ttl`: ask for an approval valid this long; by default the sensitivity's whole approvalTtl. */
  approvalTtl?: string;
  /** `--break-glass`: marked break-glass, with no approvalExpires (nobody approves it; it is ratified after the merge). */
  breakGlass?: boolean;
  now: Date;
}

/** The grant file as it is now, when the person already has one for the resource. */
export interface ExistingGrantFile {
  text: string;
  /** Undefined when the file does not validate: then it is written anew. */
  grant?: GrantFile;
}

/** What the request looks like before the evaluator judges it. */
export type RequestShape = 'new' | 'renewal' | 'extension' | 'change';

export interface GrantRequestPlan {
  path: string;
  branch: string;
  shape: RequestShape;
  grant: GrantFile;
  /** The grant file's new text (an edit of the old one when there was one). */
  text: string;
  previousText?: string;
  /** Problems with the request; any error means nothing may be committed. */
  problems: Diagnostic[];
  /** Why the times are what they are, for the output. */
  notes: string[];
}

/**
 * Builds the grant file a request asks for, or the edit of an existing one (a renewal moves `expires`
 * and sets `status: active`, keeping the approval it renews under). Pure: the use case reads the files,
 * this decides the content, `checkGrantLimits` (DESIGN §3 rule 6) says whether it is within limits.
 */
export function planGrantRequest(repo: AccessRepo, existing: ExistingGrantFile | undefined, options: GrantRequestOptions): GrantRequestPlan {
  const { now, resource: resourceId, grantee } = options;
  const path = `${repo.dir}/grants/${grantee}/${resourceId}.yaml`;
  const branch = grantBranchName(grantee, resourceId, now);
  const problems: Diagnostic[] = [];
  const notes: string[] = [];
  const fail = (rule: string, message: string) => problems.push(diagnostic(path, START, rule, message));

  const org = repo.org?.value;
  const resource = repo.resources.get(resourceId)?.value;
  if (!org) fail('request/no-org', `${repo.dir}/grantops.yaml is missing or invalid`);
  if (!resource) fail('request/unknown-resource', `no resource "${resourceId}" under ${repo.dir}/resources/ (known: ${[...repo.resources.keys()].sort().join(', ') || 'none'})`);
  if (!repo.people.has(grantee)) fail('request/unknown-person', `"${grantee}" is not in people.yaml`);

  let expiresAt: number | undefined;
  if ((options.until === undefined) === (options.forDuration === undefined)) {
    fail('request/expires', 'give exactly one of --until DATE and --for-duration DURATION');
  } else if (options.until !== undefined) {
    expiresAt = options.until.getTime();
  } else {
    try {
      expiresAt = now.getTime() + parseDuration(options.forDuration!);
    } catch (error) {
      fail('request/expires', (error as Error).message);
    }
  }
  if (expiresAt !== undefined && expiresAt <= now.getTime()) {
    fail('request/expires', `the access would end at ${formatTime(new Date(expiresAt))}, which is not after now (${formatTime(now)})`);
  }

  const previous = existing?.grant;
  const reason = options.reason ?? previous?.reason;
  if (reason === undefined || reason.trim() === '') fail('request/reason', 'a new grant needs --reason: why the access is needed');

  if (options.breakGlass) {
    if (grantee !== options.requester) fail('request/break-glass', `break-glass is only ever asked for yourself: ${options.requester} cannot break glass for ${grantee}`);
    if (options.reason === undefined) fail('request/reason', '--break-glass needs --reason: the incident, e.g. "INC-123 orders are down"');
    if (options.approvalTtl !== undefined) fail('request/break-glass', '--approval-ttl does not go with --break-glass: nobody approves a break-glass grant, so there is no approval to renew under');
  }

  const approvalValid = previous?.approvalExpires != null && Date.parse(previous.approvalExpires) > now.getTime();
  let approvalExpires: string | undefined;
  if (options.breakGlass) {
    notes.push('break-glass: no approvalExpires; the approvers must ratify it after the merge, and once it ends it is gone');
  } else if (options.approvalTtl !== undefined) {
    try {
      approvalExpires = formatTime(new Date(now.getTime() + parseDuration(options.approvalTtl)));
      notes.push(`approval asked for ${options.approvalTtl}: until ${approvalExpires}`);
    } catch (error) {
      fail('request/approval-ttl', (error as Error).message);
    }
  } else if (previous && approvalValid) {
    approvalExpires = previous.approvalExpires!;
    notes.push(`the approval stays as it is: valid until ${approvalExpires}`);
  } else if (org && resource && org.sensitivity[resource.effectiveSensitivity]) {
    const ttl = approvalTtlMs(org, resource);
    approvalExpires = formatTime(new Date(now.getTime() + ttl));
    notes.push(`approval asked for the whole approvalTtl of ${resource.effectiveSensitivity} (${org.sensitivity[resource.effectiveSensitivity]!.approvalTtl}): until ${approvalExpires}`);
  }

  const grant: GrantFile = {
    user: grantee,
    resource: resourceId,
    reason: reason ?? '',
    expires: expiresAt === undefined ? formatTime(now) : formatTime(new Date(expiresAt)),
    ...(approvalExpires ? { approvalExpires } : {}),
    status: 'active',
    ...(options.breakGlass ? { breakGlass: true } : {}),
  };
  const shape = shapeOf(previous, grant, now);
  const text = existing?.grant
    ? editGrantYaml(existing.text, { reason: grant.reason, expires: grant.expires, approvalExpires: grant.approvalExpires ?? null, status: 'active', breakGlass: grant.breakGlass ?? null })
    : writeGrantYaml(grant, `Requested by ${options.requester} with grantops request on ${formatTime(now)}.`);

  if (org && resource && problems.length === 0 && org.sensitivity[resource.effectiveSensitivity]) {
    const source = parseYamlFile(path, text).source;
    for (const problem of checkGrantLimits(org, resource, grant, now)) {
      const hint =
        problem.rule === 'grant/expires-after-approval' && shape === 'renewal'
          ? ' (a renewal cannot outlast the approval it renews under: ask for less time, or pass --approval-ttl to ask for a new approval)'
          : '';
      problems.push(diagnostic(path, locate(source, [problem.field]), problem.rule, `${problem.message}${hint}`));
    }
  }
  if (shape === 'renewal' && options.reason !== undefined && previous && options.reason !== previous.reason) {
    notes.push('the reason changes too, so this is judged as a change that needs the full approval, not as a renewal');
  }
  return { path, branch, shape, grant, text, ...(existing ? { previousText: existing.text } : {}), problems, notes };
}

/** The request's shape as the requester would describe it; the evaluator has the final word. */
function shapeOf(previous: GrantFile | undefined, next: GrantFile, now: Date): RequestShape {
  if (!previous) return 'new';
  const accessOver = previous.status === 'expired' || Date.parse(previous.expires) <= now.getTime();
  const approvalValid = previous.approvalExpires != null && Date.parse(previous.approvalExpires) > now.getTime();
  const onlyTime = previous.reason === next.reason && previous.approvalExpires === next.approvalExpires && (previous.breakGlass === true) === (next.breakGlass === true);
  if (accessOver && approvalValid && onlyTime) return 'renewal';
  if (!accessOver && onlyTime) return 'extension';
  return 'change';
}
