/**
 * IAM's matching of `Resource` / `NotResource` patterns against an ARN: `*` any run of characters, `?`
 * exactly one, case-sensitive. A policy variable (`${aws:username}`) depends on the request, which is not
 * known offline, so it matches anything: a principal whose policy names `user/${aws:username}` may act on
 * itself, and the graph must see that (erring towards more reach, never less).
 */
const compiled = new Map<string, RegExp>();

export function arnPatternMatches(pattern: string, arn: string): boolean {
  if (pattern === '*' || pattern === arn) return true;
  let regex = compiled.get(pattern);
  if (!regex) {
    const body = pattern
      .replace(/\$\{[^}]*\}/g, '\u0000')
      .split('')
      .map((ch) => (ch === '*' || ch === '\u0000' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')))
      .join('');
    regex = new RegExp(`^${body}$`);
    compiled.set(pattern, regex);
  }
  return regex.test(arn);
}

/** AWS managed policies (`arn:aws:iam::aws:policy/...`): no customer can change them. */
export function isAwsManagedPolicyArn(arn: string): boolean {
  return /^arn:aws[a-z-]*:iam::aws:policy\//.test(arn);
}

/** The account id of an IAM ARN (`arn:aws:iam::111122223333:user/x` -> `111122223333`). */
export function accountOfArn(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:(\d{12}|aws):/.exec(arn)?.[1];
}
