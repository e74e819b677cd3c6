import type { GrantFile } from '../model.js';
import { parseYamlFile } from '../yaml-source.js';

/** The fields of one version of a grant file that a timeline shows; absent fields were unreadable. */
export type GrantVersion = Partial<Pick<GrantFile, 'user' | 'resource' | 'reason' | 'expires' | 'approvalExpires' | 'breakGlass'>> & { status?: string };

const FIELDS = ['user', 'resource', 'reason', 'expires', 'approvalExpires', 'status'] as const;
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a grant file's version for the report. The audit describes what happened, whatever the file held:
 * a version that fails the schema still has an `expires` worth showing, and an unreadable one is undefined.
 */
export function readGrantVersion(path: string, content: Uint8Array | string | null | undefined): GrantVersion | undefined {
  if (content === null || content === undefined) return undefined;
  let text: string;
  try {
    text = typeof content === 'string' ? content : decoder.decode(content);
  } catch {
    return undefined;
  }
  const plain = readPlainMapping(text);
  if (plain) return plain;
  const value = parseYamlFile(path, text).value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const fields = value as Record<string, unknown>;
  const version: GrantVersion = {};
  for (const key of FIELDS) {
    const v = fields[key];
    if (typeof v === 'string') version[key] = v;
  }
  // `breakGlass: true` is never a plain string, so such a file always reaches this parse.
  if (fields.breakGlass === true) version.breakGlass = true;
  return version;
}

/** `key: value` where the value is a plain string YAML reads as itself (no quotes, flow, anchors or comments). */
const PLAIN_LINE = /^([A-Za-z][A-Za-z0-9]*):[ ]+([A-Za-z0-9_./+][^#'"{}[\],&*!|>%@`\t]*?)[ ]*$/;
/** Plain values YAML would read as something other than a string. */
const NOT_A_STRING = /^(?:true|false|null|~|[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/i;

/**
 * The shape nearly every grant file has: one plain `key: value` per line. Read directly, it costs a
 * hundredth of a YAML parse, which matters over ten thousand versions; anything else (quotes, comments
 * after values, flow collections, repeated keys, values YAML would not read as strings) returns undefined
 * and goes to the YAML parser.
 */
function readPlainMapping(text: string): GrantVersion | undefined {
  const version: Record<string, string> = {};
  const seen = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '' || /^#/.test(line)) continue;
    const match = PLAIN_LINE.exec(line);
    if (!match) return undefined;
    const [, key, value] = match as unknown as [string, string, string];
    if (seen.has(key) || value.includes(': ') || value.endsWith(':') || NOT_A_STRING.test(value)) return undefined;
    seen.add(key);
    if ((FIELDS as readonly string[]).includes(key)) version[key] = value;
  }
  return seen.size > 0 ? (version as GrantVersion) : undefined;
}
