import { gitDecisionRecorder, run } from './run.js';

await run({ recordDecisions: gitDecisionRecorder() });
