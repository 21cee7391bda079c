import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Tamper evidence for ticket draft cards: the card carries HMAC-SHA256(secret, draftId), so a
 * forged or edited draft id in an Action.Execute payload is refused before any lookup.
 */
export class DraftSigner {
  constructor(private readonly secret: string) {
    if (typeof secret !== 'string' || secret.length < 16) {
      throw new Error('The ticket draft secret must be at least 16 characters');
    }
  }

  sign(draftId: string): string {
    return createHmac('sha256', this.secret).update(`ticket-draft:v1:${draftId}`).digest('hex');
  }

  verify(draftId: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(draftId), 'hex');
    const given = /^[0-9a-f]{64}$/i.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
