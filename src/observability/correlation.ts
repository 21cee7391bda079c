import { createHash } from 'node:crypto';

/**
 * Correlation ids that are safe to log. Conversation and user ids are personal data in Teams
 * (a 1:1 conversation id embeds the user's object id), so logs carry a short SHA-256 prefix:
 * stable enough to follow one conversation through the logs, useless for looking anyone up.
 */
export function hashId(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  return createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 16);
}

/** The parts of a Bot Framework activity the correlation fields come from. */
export interface CorrelatedActivity {
  id?: unknown;
  type?: unknown;
  channelId?: unknown;
  conversation?: { id?: unknown; tenantId?: unknown; conversationType?: unknown } | null;
  from?: { id?: unknown; aadObjectId?: unknown } | null;
}

interface CorrelationFields {
  activityId?: string;
  activityType?: string;
  channelId?: string;
  conversation?: string;
  conversationType?: string;
  user?: string;
  tenantId?: string;
}

/** Correlation fields for one turn; never the message text, never a raw user or conversation id. */
export function correlationFields(activity: CorrelatedActivity | null | undefined): CorrelationFields {
  if (!activity || typeof activity !== 'object') return {};
  const fields: CorrelationFields = {
    activityId: shortString(activity.id),
    activityType: shortString(activity.type),
    channelId: shortString(activity.channelId),
    conversation: hashId(activity.conversation?.id),
    conversationType: shortString(activity.conversation?.conversationType),
    user: hashId(activity.from?.aadObjectId) ?? hashId(activity.from?.id),
    tenantId: shortString(activity.conversation?.tenantId),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as CorrelationFields;
}

// Ids come from the request body: cap them so a hostile activity cannot blow up a log line.
function shortString(value: unknown, max = 128): string | undefined {
  return typeof value === 'string' && value !== '' ? value.slice(0, max) : undefined;
}
