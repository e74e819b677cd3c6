import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { readFileSync } from 'node:fs';

/**
 * `npm start`: the GitHub App as a web server. Probot reads its settings from the environment and `.env`
 * (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, GHE_HOST, WEBHOOK_PROXY_URL...). Without an
 * app yet it serves the page that registers one from `app.yml` (see app-registration.ts).
 */
const fromDotEnv = (() => {
  try {
    return parseEnv(readFileSync('.env', 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
})();
const env = { ...fromDotEnv, ...process.env };

// In production a missing app is an error (probot says which variable is missing), never a registration page.
if ((env.APP_ID && (env.PRIVATE_KEY || env.PRIVATE_KEY_PATH)) || env.NODE_ENV === 'production') {
  const [{ run }, { default: grantopsApp }] = await Promise.all([import('probot'), import('./app.js')]);
  await run(grantopsApp);
} else {
  const { startRegistration } = await import('./app-registration.js');
  const port = Number(env.PORT ?? 3000);
  await startRegistration({
    port,
    host: env.HOST,
    cwd: process.cwd(),
    env,
    appYmlPath: fileURLToPath(new URL('../app.yml', import.meta.url)),
    repositoryUrl: githubRepositoryUrl(),
    log: (line) => console.log(line),
  });
  console.log(`No GitHub App yet: open http://${env.HOST ?? 'localhost'}:${port} to register one from app.yml.`);
}

/** The GitHub page of the clone `npm start` runs in (its origin remote), for the app's homepage. */
function githubRepositoryUrl(): string | undefined {
  try {
    const remote = execFileSync('git', ['remote', 'get-url', 'origin'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const m = /github\.com[:/]([\w.-]+\/[\w.-]+?)(?:\.git)?$/.exec(remote);
    return m ? `https://github.com/${m[1]}` : undefined;
  } catch {
    return undefined;
  }
}
