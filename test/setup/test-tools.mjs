// The tools the suite drives besides node: moto's emulator for the aws provider, Debian's chromium for the
// report's browser test. Found once per run (and handed to every worker through the environment); chromium
// is installed with apt-get when it is missing and this user may install packages. A tool still missing
// fails only the tests that need it, with the command that installs it.
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

const executable = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

const quiet = (command, args) => {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
};

function findMoto(env) {
  if (env.MOTO_SERVER) return env.MOTO_SERVER;
  const onPath = (env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'moto_server')).find((p) => executable(p));
  return onPath ?? quiet('pyenv', ['which', 'moto_server']);
}

/** apt-get as root, or through sudo without a password; undefined when this user may not install packages. */
function aptGet() {
  if (!executable('/usr/bin/apt-get')) return undefined;
  if (process.getuid?.() === 0) return (args) => execFileSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (quiet('sudo', ['-n', 'true']) !== undefined) return (args) => execFileSync('sudo', ['-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  return undefined;
}

function ensureChromium(env) {
  if (env.CHROMIUM || CHROMIUM.some(executable)) return;
  const apt = env.GRANTOPS_TEST_NO_INSTALL ? undefined : aptGet();
  if (!apt) {
    console.warn('\nchromium is missing: the report\'s browser test will fail. Install it with `apt-get install chromium` (or run `bash .ci/run`), or set CHROMIUM.\n');
    return;
  }
  console.warn('\nchromium is missing: installing Debian\'s chromium for the report\'s browser test (apt-get install chromium)...');
  try {
    apt(['update', '-q']);
    apt(['install', '-y', '-q', 'chromium']);
  } catch (error) {
    console.warn(`apt-get install chromium failed (${error.message}): the report's browser test will fail.`);
  }
}

export default function prepareTestTools(env = process.env) {
  const moto = findMoto(env);
  if (moto) env.MOTO_SERVER = moto;
  ensureChromium(env);
}
