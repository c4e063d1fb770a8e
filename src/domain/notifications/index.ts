export * from './types.js';
export { notificationLine, notificationMail, notificationWebhookBody } from './compose.js';
