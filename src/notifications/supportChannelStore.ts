import type { Container } from '@azure/cosmos';
import { logger } from '../observability/logger';
import type { ConversationAddress } from './address';

const PARTITION = 'settings';
const DOCUMENT_ID = 'support-channel';

type SupportChannel = {
  address: ConversationAddress;
  /** registered: by a support agent's `register support channel`; configured: SUPPORT_CONVERSATION_ID. */
  source: 'registered' | 'configured';
  registeredBy?: string;
  registeredAt?: string;
};

type SupportChannelDocument = {
  id: string;
  pk: string;
  kind: 'support-channel';
  address: ConversationAddress;
  registeredBy: string;
  registeredAt: string;
};

/**
 * Where handoff notices go. A conversation registered at run time (one small document in the
 * `state` container, so every instance and every restart sees it) wins over the configured one
 * (SUPPORT_CONVERSATION_ID + SUPPORT_SERVICE_URL), which is the fallback and the bootstrap.
 */
export class SupportChannelStore {
  constructor(
    private readonly container: Container,
    private readonly configured?: ConversationAddress,
  ) {}

  async current(): Promise<SupportChannel | undefined> {
    const doc = await this.read();
    if (doc)
      return {
        address: doc.address,
        source: 'registered',
        registeredBy: doc.registeredBy,
        registeredAt: doc.registeredAt,
      };
    return this.configured ? { address: this.configured, source: 'configured' } : undefined;
  }

  /** Stores `address` as the support conversation (replacing an earlier registration). */
  async register(address: ConversationAddress, by: string, at = new Date()): Promise<void> {
    const doc: SupportChannelDocument = {
      id: DOCUMENT_ID,
      pk: PARTITION,
      kind: 'support-channel',
      address,
      registeredBy: by,
      registeredAt: at.toISOString(),
    };
    await this.container.items.upsert(doc);
    logger.info({ conversationType: address.conversationType }, 'support channel registered');
  }

  private async read(): Promise<SupportChannelDocument | undefined> {
    try {
      const { resource } = await this.container.item(DOCUMENT_ID, PARTITION).read<SupportChannelDocument>();
      return resource?.address?.serviceUrl && resource.address.conversationId ? resource : undefined;
    } catch (err) {
      if ((err as { code?: number }).code === 404) return undefined;
      throw err;
    }
  }
}
