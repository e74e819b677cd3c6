// Jest orders test files by how long they took last time, and by file size when it has no record: a
// clean clone (CI) has none, and a few short files that run for half a minute (a whole demo, the attack
// suite, the Action's runs) were started last, leaving the other workers idle at the end. These start
// first; the rest keep jest's own order. Keep the list to the slowest files of a clean run.
import { relative } from 'node:path';
import Sequencer from '@jest/test-sequencer';

const FIRST = [
  'test/action/run.test.ts',
  'test/adversarial/cli.test.ts',
  'test/demo/demo.test.ts',
  'test/adversarial/app.test.ts',
  'test/usecases/apply-faults.test.ts',
  'test/cli/check.test.ts',
  'test/lifecycle/action-notify.test.ts',
  'test/lifecycle/expire.test.ts',
];

export default class SlowFirstSequencer extends Sequencer {
  async sort(tests) {
    const rank = (test) => {
      const index = FIRST.indexOf(relative(test.context.config.rootDir, test.path).split('\\').join('/'));
      return index === -1 ? FIRST.length : index;
    };
    return [...(await super.sort(tests))].sort((a, b) => rank(a) - rank(b));
  }
}
