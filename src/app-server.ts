import { run } from 'probot';
import grantopsApp from './app.js';

/**
 * `npm start`: the GitHub App as a web server. Probot reads its settings from the environment
 * (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, GHE_HOST, ...); without APP_ID it
 * serves the page that registers a new app from `app.yml`.
 */
await run(grantopsApp);
