// Jest's node environment, measuring each test file's CPU time: the worker's own and that of the processes
// it started and reaped (git, node, moto), read from /proc (Linux). Wall time on a shared machine says
// little; CPU time is what adds up to the suite's time on two cores (decision 0057). Use it with
//   NODE_OPTIONS=--experimental-vm-modules npx jest FILES --testEnvironment=<rootDir>/test/setup/cpu-time-environment.mjs
// and one line per file is appended to $GRANTOPS_TEST_CPU_LOG (default: printed on stderr).
import { appendFileSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { TestEnvironment } from 'jest-environment-node';

const TICKS_PER_SECOND = 100;

/** utime, stime, cutime, cstime of this process, in seconds. */
function cpuTimes() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const [user, system, childUser, childSystem] = stat.slice(stat.lastIndexOf(')') + 2).split(' ').slice(11, 15).map((t) => Number(t) / TICKS_PER_SECOND);
  return { own: user + system, children: childUser + childSystem, system: system + childSystem };
}

export default class CpuTimeEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.file = relative(config.projectConfig.rootDir, context.testPath);
    this.start = cpuTimes();
  }

  async teardown() {
    await super.teardown();
    const end = cpuTimes();
    const [own, children, system] = ['own', 'children', 'system'].map((k) => end[k] - this.start[k]);
    const line = `${(own + children).toFixed(2)} s CPU (worker ${own.toFixed(2)}, its processes ${children.toFixed(2)}; system ${system.toFixed(2)}) ${this.file}\n`;
    if (process.env.GRANTOPS_TEST_CPU_LOG) appendFileSync(process.env.GRANTOPS_TEST_CPU_LOG, line);
    else process.stderr.write(line);
  }
}
