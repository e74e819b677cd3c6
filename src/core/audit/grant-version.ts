import type { GrantFile } from '../model.js';
import { parseYamlFile } from '../yaml-source.js';

/** The fields of one version of a grant file that a timeline shows; absent fields were unreadable. */
export type GrantVersion = Partial<Pick<GrantFile, 'user' | 'resource' | 'reason' | 'expires' | 'approvalExpires'>> & { status?: string };

/**
 * Reads a grant file's version for the report. The audit describes what happened, whatever the file held:
 * a version that fails the schema still has an `expires` worth showing, and an unreadable one is undefined.
 */
export function readGrantVersion(path: string, content: Uint8Array | string | null | undefined): GrantVersion | undefined {
  if (content === null || content === undefined) return undefined;
  const parsed = parseYamlFile(path, content);
  const value = parsed.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const fields = value as Record<string, unknown>;
  const version: GrantVersion = {};
  for (const key of ['user', 'resource', 'reason', 'expires', 'approvalExpires', 'status'] as const) {
    const v = fields[key];
    if (typeof v === 'string') version[key] = v;
    else if (v instanceof Date) version[key] = v.toISOString();
  }
  return version;
}
