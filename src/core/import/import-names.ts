/** Names for what import creates: valid in the file format, stable, and unique. */

const LOGIN_MAX = 39;

/**
 * A placeholder login from an IAM user name (`art.vandelay` -> `art-vandelay`): IAM allows `+=,.@_`,
 * GitHub logins only letters, digits and single hyphens. It is a placeholder: the person's real login
 * is to be filled in.
 */
export function loginFromIamUser(user: string): string {
  const login = user.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, LOGIN_MAX).replace(/-+$/, '');
  return login === '' ? 'user' : login;
}

/** `AdministratorAccess` -> `administrator-access`, `S3ReadOnly` -> `s3-read-only`, `my_group` -> `my-group`. */
export function resourceIdFromName(name: string): string {
  const id = name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '');
  return id === '' ? 'imported' : id;
}

/** `base`, else `base-2`, `base-3`… whichever is not taken yet; records the choice. */
export function uniqueName(base: string, taken: Set<string>, max = Infinity): string {
  let name = base.slice(0, max);
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base.slice(0, max - String(n).length - 1)}-${n}`;
  taken.add(name.toLowerCase());
  return name;
}
