import { canonicalJson } from '../canonical-json.js';
import type { PolicyDocument } from '../model.js';

/**
 * A policy's size as IAM counts it against the inline-policy quotas: its JSON without whitespace.
 * (IAM does not count whitespace, so reformatting a document never changes whether it fits.)
 */
export function policySize(document: PolicyDocument): number {
  return JSON.stringify(document).replace(/\s/g, '').length;
}

/** Two documents that differ only in key order are the same policy. */
export function samePolicy(a: PolicyDocument, b: PolicyDocument): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
