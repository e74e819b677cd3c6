import { parseAccessRepo } from '../parse-access-repo.js';

/** Lower-cased email -> login; null where several people share the email (then nobody is named). */
export type PeopleEmails = ReadonlyMap<string, string | null>;

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The people.yaml emails the audit turns commit authors into logins with. A people file is usually one
 * plain flow map per person (`- { login: kramer, name: Cosmo Kramer, email: kramer@… }`), read here
 * directly: a YAML parse of two thousand such lines costs more than the rest of the audit's own work.
 * Any other shape (block maps, quotes, anchors) goes through the loader, as everywhere else.
 */
export function readPeopleEmails(path: string, content: Uint8Array | string | null | undefined): PeopleEmails {
  if (content === null || content === undefined) return new Map();
  let text: string;
  try {
    text = typeof content === 'string' ? content : decoder.decode(content);
  } catch {
    return new Map();
  }
  return readFlowPeople(text) ?? readWithLoader(path, text);
}

function readWithLoader(path: string, text: string): PeopleEmails {
  const dir = path.slice(0, path.lastIndexOf('/'));
  const { repo } = parseAccessRepo({ dir, files: [{ path, content: text }] });
  return index([...repo.people.values()].map((p) => ({ login: p.value.login, email: p.value.email })));
}

function index(people: readonly { login: string; email?: string | undefined }[]): PeopleEmails {
  const byEmail = new Map<string, string | null>();
  const logins = new Set<string>();
  for (const { login, email } of people) {
    // As the loader does: a login listed twice counts once, the first time.
    if (logins.has(login)) continue;
    logins.add(login);
    const key = email?.trim().toLowerCase();
    if (!key) continue;
    byEmail.set(key, byEmail.has(key) ? null : login);
  }
  return byEmail;
}

const PLAIN = /^[A-Za-z0-9_.+@-][^\s,{}[\]#'"&*!|>%`]*$/;

function readFlowPeople(text: string): PeopleEmails | undefined {
  const people: { login: string; email?: string }[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (!line.startsWith('- {') || !line.endsWith('}') || /['"#&*!|>%`]/.test(line)) return undefined;
    const fields = splitTopLevel(line.slice(3, -1));
    if (!fields) return undefined;
    const person: Record<string, string> = {};
    for (const field of fields) {
      const match = /^([A-Za-z]+):\s+(.+)$/.exec(field);
      if (!match) return undefined;
      const [, key, value] = match as unknown as [string, string, string];
      if (key in person) return undefined;
      person[key] = value;
    }
    const login = person.login;
    const email = person.email;
    if (login === undefined || !PLAIN.test(login) || (email !== undefined && (!PLAIN.test(email) || email.includes(': ')))) return undefined;
    people.push(email === undefined ? { login } : { login, email });
  }
  return index(people);
}

/** `a: 1, b: [x, y], c: { d: 2 }` -> its three top-level fields; undefined when brackets do not balance. */
function splitTopLevel(inner: string): string[] | undefined {
  const fields: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (--depth < 0) return undefined;
    } else if (c === ',' && depth === 0) {
      fields.push(inner.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (depth !== 0) return undefined;
  const last = inner.slice(start).trim();
  if (last !== '') fields.push(last);
  return fields;
}
