import { compileWildcard, type WildcardPattern } from '../wildcard-pattern.js';

/**
 * IAM's action matching, as `@cloud-copilot/iam-expand` implements it: case-insensitive, `*` any run of
 * characters, `?` exactly one, `\uXXXX` escapes decoded. Reimplemented here (and checked against that
 * package in the tests) so the core stays synchronous and free of its file-reading data loader.
 */
export function compileActionPattern(pattern: string): WildcardPattern {
  return compileWildcard(unescapeUnicode(pattern.trim()), { ignoreCase: true });
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

export function unescapeUnicode(text: string): string {
  return text.replace(/\\u([\dA-Fa-f]{4})/g, (_, code: string) => String.fromCharCode(parseInt(code, 16)));
}
