/** The Worker entry point: HTTP through the app, bounce emails through Email Routing. */
import { createApp } from './app.js';
import { handleEmail, type IncomingEmail } from './email.js';

const app = createApp();

export default {
  fetch: app.fetch,
  async email(message: IncomingEmail, env: Record<string, unknown>) {
    await handleEmail(message, env);
  },
};
