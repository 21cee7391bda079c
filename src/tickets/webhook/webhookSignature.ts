import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header names of a signed webhook delivery (documented in docs/tickets-webhook.md). */
export const WEBHOOK_HEADERS = {
  signature: 'x-signature-256',
  timestamp: 'x-signature-timestamp',
  idempotencyKey: 'x-idempotency-key',
  event: 'x-webhook-event',
} as const;

/** `sha256=<hex>` of HMAC-SHA256(secret, `${timestamp}.${body}`). */
export function signWebhook(secret: string, timestamp: string | number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type VerifyOptions = {
  /** Reject timestamps further than this from now (replay protection). Default 300 s; Infinity disables. */
  toleranceSeconds?: number;
  nowSeconds?: number;
};

/**
 * Checks a delivery: the signature must match the raw body and timestamp (constant-time
 * comparison) and the timestamp must be recent. Never throws; false on any malformed input.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | number | undefined,
  body: string,
  signature: string | undefined,
  options: VerifyOptions = {},
): boolean {
  if (!secret || timestamp === undefined || typeof signature !== 'string' || typeof body !== 'string')
    return false;
  const ts = String(timestamp);
  if (!/^\d{1,12}$/.test(ts)) return false;
  const tolerance = options.toleranceSeconds ?? 300;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(ts)) > tolerance) return false;
  const expected = Buffer.from(signWebhook(secret, ts, body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
