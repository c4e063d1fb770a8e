/**
 * Posting a signed webhook. The body is JSON; the signature is HMAC-SHA256 over
 * `<timestamp>.<body>` with the receiver's key, like Slack's and Stripe's schemes, so a receiver
 * can check who sent it and refuse a replay. X-Embargo-Delivery is the same on every attempt of one
 * delivery: a receiver that sees it twice drops the repeat.
 */
import { createHmac } from 'node:crypto';

export interface WebhookDelivery {
  url: string;
  secret: string;
  deliveryId: string;
  body: unknown;
  now: Date;
  timeoutMs?: number;
}

export class WebhookError extends Error {
  constructor(
    message: string,
    readonly temporary: boolean,
  ) {
    super(message);
  }
}

export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Posts once. Throws a WebhookError: temporary for network errors, timeouts, 408, 429 and 5xx. */
export async function postWebhook(d: WebhookDelivery): Promise<number> {
  const body = JSON.stringify(d.body);
  const timestamp = String(Math.floor(d.now.getTime() / 1000));
  let res: Response;
  try {
    res = await fetch(d.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Embargo-Webhook/1',
        'x-embargo-delivery': d.deliveryId,
        'x-embargo-timestamp': timestamp,
        'x-embargo-signature': webhookSignature(d.secret, timestamp, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(d.timeoutMs ?? 10_000),
    });
  } catch (err) {
    throw new WebhookError(`the webhook could not be reached: ${(err as Error).message}`, true);
  }
  // Drain the answer so the connection can be reused.
  await res.arrayBuffer().catch(() => undefined);
  if (res.status >= 200 && res.status < 300) return res.status;
  const temporary = res.status === 408 || res.status === 429 || res.status >= 500;
  throw new WebhookError(`the webhook answered ${res.status}`, temporary);
}
