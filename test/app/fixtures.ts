import { ORG, PEOPLE, RESOURCES, grantYaml } from '../helpers/repo.js';

/** The base organisation of the app tests (the shared small org of test/helpers/repo.ts), as files to commit. */
export function baseOrgFiles(): Record<string, string> {
  return {
    'README.md': '# access\n',
    'access/grantops.yaml': ORG,
    'access/people.yaml': PEOPLE,
    ...Object.fromEntries(Object.entries(RESOURCES).map(([id, text]) => [`access/resources/aws-prod/${id}.yaml`, text])),
  };
}

/** A grant valid on 2026-06-01 (the tests' now) for any sensitivity up to high (7 days of access). */
export function grant(user: string, resource: string, fields: Record<string, string> = {}): string {
  return grantYaml({
    user,
    resource,
    reason: 'Investigate OPS-1',
    expires: '2026-06-05T00:00:00Z',
    approvalExpires: '2026-07-01T00:00:00Z',
    status: 'active',
    ...fields,
  });
}

export function grantPath(user: string, resource: string): string {
  return `access/grants/${user}/${resource}.yaml`;
}
