import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DecisionRecord, RecordProblem } from './decision-record.js';

/**
 * Decision notes live under a ref anyone with push access can write (GitHub cannot protect
 * refs/notes/*), so a record's digest proves only that it was not edited after it was written, not who
 * wrote it. The apply workflow holds a secret key and seals each record it writes with an HMAC of the
 * record's digest; only a record whose seal checks out under that key may stand in for GitHub's word
 * (docs/decisions/0023).
 */

export const MAC_PREFIX = 'hmac-sha256:';

/** A key shorter than this is refused: a guessable key would let anybody seal a forged record. */
export const MIN_NOTES_KEY_LENGTH = 32;

export function sealRecord(record: DecisionRecord, key: string): DecisionRecord {
  return { ...record, mac: macOf(record.digest, key) };
}

/** Undefined when the record carries a seal made with `key`; otherwise the problem, for the report. */
export function checkRecordSeal(record: DecisionRecord, commit: string, key: string): RecordProblem | undefined {
  const short = commit.slice(0, 7);
  if (record.mac === undefined) {
    return { commit, rule: 'record/unauthenticated', message: `the decision record on ${short} (recorded ${record.recordedAt}) carries no seal: anybody who can push refs/notes/grantops could have written it` };
  }
  const expected = Buffer.from(macOf(record.digest, key));
  const given = Buffer.from(record.mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { commit, rule: 'record/unauthenticated', message: `the decision record on ${short} (recorded ${record.recordedAt}) has a seal the notes key did not make: it was forged or altered, or sealed with another key` };
  }
  return undefined;
}

/** Why a notes key cannot be used, or undefined when it can. */
export function checkNotesKey(key: string): string | undefined {
  return key.length < MIN_NOTES_KEY_LENGTH ? `the notes key is ${key.length} characters long: give at least ${MIN_NOTES_KEY_LENGTH} random characters (e.g. \`openssl rand -hex 32\`)` : undefined;
}

function macOf(digest: string, key: string): string {
  return `${MAC_PREFIX}${createHmac('sha256', key).update(digest).digest('hex')}`;
}
