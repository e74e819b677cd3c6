import { gitExpiryRecorder } from './run-expire.js';
import { gitDecisionRecorder, run } from './run.js';

await run({ recordDecisions: gitDecisionRecorder(), recordExpiry: gitExpiryRecorder() });
