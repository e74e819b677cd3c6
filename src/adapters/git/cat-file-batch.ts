import { spawn } from 'node:child_process';

/**
 * Reads many objects with ONE `git cat-file --batch` process: names are object ids or `<rev>:<path>`.
 * Returns each name's bytes, or null when it is missing or is not a blob. Thousands of files cost one
 * process, not thousands.
 */
export async function readBlobs(root: string, names: readonly string[]): Promise<Map<string, Uint8Array | null>> {
  const result = new Map<string, Uint8Array | null>();
  if (names.length === 0) return result;
  for (const name of names) {
    if (/[\n\r]/.test(name)) throw new Error(`cannot read "${name.replace(/[\n\r]/g, '\\n')}" from git: the name holds a line break`);
  }
  const output = await runBatch(root, names);
  let at = 0;
  for (const name of names) {
    const eol = output.indexOf(0x0a, at);
    if (eol < 0) throw new Error(`git cat-file ended early, before "${name}"`);
    const header = output.subarray(at, eol).toString('utf8');
    at = eol + 1;
    // `<oid> <type> <size>`, or `<name> missing` / `<name> ambiguous`.
    const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!match) {
      result.set(name, null);
      continue;
    }
    const size = Number(match[2]);
    const content = output.subarray(at, at + size);
    at += size + 1; // the content is followed by a newline
    result.set(name, match[1] === 'blob' ? new Uint8Array(content) : null);
  }
  return result;
}

function runBatch(root: string, names: readonly string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    const errors: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => errors.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(chunks));
      else reject(new Error(`git cat-file --batch failed (exit ${code}): ${Buffer.concat(errors).toString('utf8').trim()}`));
    });
    child.stdin.on('error', reject);
    child.stdin.end(`${names.join('\n')}\n`);
  });
}
