/** GitHub logins are case-insensitive: `Kramer` reviewing is `kramer` of people.yaml. */
export function loginKey(login: string): string {
  return login.toLowerCase();
}

export function sameLogin(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && loginKey(a) === loginKey(b);
}

/** Bots never approve (DESIGN §3 rule 4): GitHub marks them `type: Bot`, and their logins end in `[bot]`. */
export function isBotLogin(login: string): boolean {
  return /\[bot\]$/i.test(login);
}
