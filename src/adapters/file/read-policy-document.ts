import { readFile } from 'node:fs/promises';
import { decodePolicyDocument } from '../../core/iam/parse-account-snapshot.js';
import type { PolicyDocument } from '../../core/model.js';

/**
 * Reads an IAM policy document from a JSON file: the document itself, or what
 * `aws iam get-policy-version` prints (`{"PolicyVersion": {"Document": ...}}`), URL-encoded or not.
 */
export async function readPolicyDocument(path: string): Promise<PolicyDocument> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new Error(error.code === 'ENOENT' ? `policy file ${path} does not exist` : `cannot read policy file ${path}: ${error.message}`);
  });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: not JSON (${(error as Error).message})`);
  }
  const wrapped = (raw as { PolicyVersion?: { Document?: unknown } } | null)?.PolicyVersion?.Document;
  const document = decodePolicyDocument(wrapped ?? raw);
  if (document === null || typeof document !== 'object' || !('Statement' in document)) {
    throw new Error(`${path}: not an IAM policy document (no "Statement")`);
  }
  return document;
}
