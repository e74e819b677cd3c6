import { accessSync, constants } from 'node:fs';

/** Where Debian (and Ubuntu's deb) put the browser; `CHROMIUM` names another. */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The chromium the browser tests drive; a missing browser fails them with the command that installs it. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  for (const path of env.CHROMIUM ? [env.CHROMIUM] : CANDIDATES) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // try the next one
    }
  }
  throw new Error(`chromium is missing (${env.CHROMIUM ? `CHROMIUM=${env.CHROMIUM}` : CANDIDATES.join(', ')}): \`bash .ci/run\` installs Debian's chromium, or run \`apt-get install chromium\`, or set CHROMIUM to a chromium executable`);
}
