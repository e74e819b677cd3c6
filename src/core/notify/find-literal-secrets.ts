import { diagnostic, type Diagnostic } from '../diagnostic.js';
import { locate, type PathSegment, type YamlSource } from '../yaml-source.js';

/** Fields whose value is a secret: they name an environment variable (`{ env: NAME }`), never hold the value. */
const SECRET_FIELDS = new Set(['webhookUrl', 'secret', 'password']);

const LOOKS_SECRET: Array<[RegExp, string]> = [
  [/hooks\.slack\.com\//i, 'a Slack webhook URL'],
  [/\bxox[abprs]-/i, 'a Slack token'],
  [/^[a-z][a-z0-9+.-]*:\/\/[^/\s@]+:[^/\s@]*@/i, 'a URL with a password in it'],
  [/[?&](token|key|secret|sig|signature|password|code|auth)=/i, 'a URL carrying a credential'],
  [/^(?=.*[0-9])(?=.*[A-Za-z])[A-Za-z0-9+/=_-]{32,}$/, 'a key'],
];

/**
 * The repository is read by everyone who can read it, and its history keeps what it ever held: a secret
 * written in `notifications:` is refused, located, whatever the schema says of the same value (it runs on
 * the parsed document, before the schema, so the clearer message is always there).
 */
export function findLiteralSecrets(document: unknown, file: string, source?: YamlSource): Diagnostic[] {
  if (typeof document !== 'object' || document === null) return [];
  const out: Diagnostic[] = [];
  const walk = (value: unknown, path: PathSegment[]): void => {
    if (typeof value === 'string') {
      const key = path.at(-1);
      const field = typeof key === 'string' && SECRET_FIELDS.has(key);
      const looks = LOOKS_SECRET.find(([pattern]) => pattern.test(value))?.[1];
      if (field || looks) {
        out.push(
          diagnostic(
            file,
            locate(source, path),
            'notify/literal-secret',
            `${looks ? `this looks like ${looks}: ` : ''}secrets are never written in the repository; put the value in an environment variable and name it here as { env: NAME }`,
          ),
        );
      }
      return;
    }
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i]));
    else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  walk((document as Record<string, unknown>).notifications, ['notifications']);
  return out;
}
