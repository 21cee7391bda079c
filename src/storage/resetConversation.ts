import type { Storage } from 'botbuilder';
import type { TranscriptStore } from './transcriptStore';

export interface ResetConversationInput {
  /** teams-ai conversation state key: `${channelId}/${botId}/conversations/${conversationId}`. */
  conversationStateKey: string;
  /** When given, a 'system' entry records the reset in the (untouched) transcript. */
  transcript?: {
    store: TranscriptStore;
    conversationId: string;
    activityId: string;
    userAadObjectId?: string;
    tenantId?: string;
  };
}

/**
 * `reset`: forget the conversation's state (which holds the model memory) but keep the durable
 * transcript, noting the reset in it. Run it under the conversation lease like any turn.
 */
export async function resetConversation(storage: Storage, input: ResetConversationInput): Promise<void> {
  await storage.delete([input.conversationStateKey]);
  const t = input.transcript;
  if (t) {
    await t.store.append({
      conversationId: t.conversationId,
      activityId: t.activityId,
      kind: 'system',
      timestamp: new Date().toISOString(),
      userAadObjectId: t.userAadObjectId,
      tenantId: t.tenantId,
      text: 'conversation reset: state and memory cleared',
    });
  }
}
