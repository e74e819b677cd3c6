import { compileWildcard, type WildcardPattern } from '../wildcard-pattern.js';

/**
 * IAM's matching of `Resource` / `NotResource` patterns against an ARN: `*` any run of characters, `?`
 * exactly one, case-sensitive. A policy variable (`${aws:username}`) depends on the request, which is not
 * known offline, so it matches anything: a principal whose policy names `user/${aws:username}` may act on
 * itself, and the graph must see that (erring towards more reach, never less).
 */
const compiled = new Map<string, WildcardPattern>();
const POLICY_VARIABLE = /\$\{[^}]*\}/;

export function arnPatternMatches(pattern: string, arn: string): boolean {
  if (pattern === '*' || pattern === arn) return true;
  let matcher = compiled.get(pattern);
  if (!matcher) {
    matcher = compileWildcard(pattern, { anyRun: POLICY_VARIABLE });
    compiled.set(pattern, matcher);
  }
  return matcher.test(arn);
}

/** AWS managed policies (`arn:aws:iam::aws:policy/...`): no customer can change them. */
export function isAwsManagedPolicyArn(arn: string): boolean {
  return /^arn:aws[a-z-]*:iam::aws:policy\//.test(arn);
}

/** The account id of an IAM ARN (`arn:aws:iam::111122223333:user/x` -> `111122223333`). */
export function accountOfArn(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:(\d{12}|aws):/.exec(arn)?.[1];
}
