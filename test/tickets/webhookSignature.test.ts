import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from '../../src/tickets/webhook/webhookSignature';

const SECRET = 'whsec-test-0123456789abcdef';
const BODY = '{"event":"ticket.created","id":"TKT-000001"}';

describe('webhook signature', () => {
  const ts = 1_700_000_000;
  const opts = { nowSeconds: ts + 10 };

  it('matches HMAC-SHA256 over "timestamp.body" as sha256=<hex>', () => {
    // Reference computed independently: printf '%s' "1700000000.$BODY" | openssl dgst -sha256 -hmac "$SECRET"
    const sig = signWebhook(SECRET, ts, BODY);
    expect(sig).toBe('sha256=dd2eccb09c3aa298a26ee71efd8012dac99f7ab890b504da2e640fc2d2c8b72b');
    expect(verifyWebhookSignature(SECRET, String(ts), BODY, sig, opts)).toBe(true);
  });

  it('rejects a wrong secret, an altered body, a moved timestamp and malformed input', () => {
    const sig = signWebhook(SECRET, ts, BODY);
    expect(verifyWebhookSignature('another-secret-0123456789', ts, BODY, sig, opts)).toBe(false);
    expect(verifyWebhookSignature(SECRET, ts, BODY.replace('000001', '000002'), sig, opts)).toBe(false);
    expect(verifyWebhookSignature(SECRET, ts + 1, BODY, sig, opts)).toBe(false);
    expect(verifyWebhookSignature(SECRET, ts, BODY, sig.slice(0, -1), opts)).toBe(false);
    expect(verifyWebhookSignature(SECRET, 'abc', BODY, sig, opts)).toBe(false);
    expect(verifyWebhookSignature(SECRET, undefined, BODY, sig, opts)).toBe(false);
    expect(verifyWebhookSignature(SECRET, ts, BODY, undefined, opts)).toBe(false);
  });

  it('rejects stale timestamps (replay) unless the tolerance allows them', () => {
    const sig = signWebhook(SECRET, ts, BODY);
    expect(verifyWebhookSignature(SECRET, ts, BODY, sig, { nowSeconds: ts + 301 })).toBe(false);
    expect(
      verifyWebhookSignature(SECRET, ts, BODY, sig, { nowSeconds: ts + 3600, toleranceSeconds: Infinity }),
    ).toBe(true);
  });
});
