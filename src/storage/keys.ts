import { createHash } from 'node:crypto';

/**
 * Mapping of arbitrary storage keys (teams-ai TurnState keys, Teams conversation ids) to
 * Cosmos ids and partition key values.
 *
 * Cosmos ids must be <= 255 characters and may not contain / \ ? #. TurnState keys always
 * contain '/', and Teams conversation ids can be longer than 255 characters.
 *
 * Scheme (injective, so two different keys can never share an id):
 *  - escape '*', '/', '\', '?', '#', '%' and control characters as '*' + two hex digits
 *    (code points > 0xFF never need escaping; all escaped characters are ASCII);
 *  - if the escaped id is longer than 255 characters, use '*sha256*' + hex(sha256(key)).
 *    An escaped id can never contain '*s' because every escape is '*' + a hex digit, so a
 *    hashed id cannot equal any escaped id.
 * The original key is always stored in the document's `key` field.
 */
export const MAX_ID_LENGTH = 255;
/** Partition key values above this length are hashed (Cosmos allows 2 KB; keep well below). */
const MAX_PARTITION_VALUE_LENGTH = 1024;

// Control characters are escaped too: Cosmos ids are also URL path segments.
// eslint-disable-next-line no-control-regex
const ESCAPE = /[*/\\?#%\u0000-\u001f\u007f]/g;

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function toCosmosId(key: string): string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new TypeError('Storage key must be a non-empty string');
  }
  const escaped = key.replace(ESCAPE, (ch) => `*${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
  if (escaped.length <= MAX_ID_LENGTH) return escaped;
  return `*sha256*${sha256Hex(key)}`;
}

/** A partition key value: the value itself, or its sha256 when it is too long. */
export function toPartitionValue(value: string): string {
  return value.length <= MAX_PARTITION_VALUE_LENGTH ? value : `sha256:${sha256Hex(value)}`;
}

/**
 * Teams channel thread replies carry `;messageid=<root message id>` on the conversation id.
 * The root conversation id (without it) groups a channel thread with its channel conversation.
 */
export function rootConversationId(conversationId: string): string {
  const i = conversationId.toLowerCase().indexOf(';messageid=');
  return i === -1 ? conversationId : conversationId.slice(0, i);
}

const TURN_STATE_CONVERSATION = /^([^/]+)\/([^/]+)\/conversations\/(.+)$/s;

/**
 * Partition value for a state key. teams-ai conversation keys
 * (`${channelId}/${botId}/conversations/${conversationId}`) are partitioned by the ROOT
 * conversation so a channel's threads share one logical partition; every other key (user
 * scope, arbitrary keys) is its own partition (point reads and writes only).
 */
export function statePartitionValue(key: string): string {
  const m = TURN_STATE_CONVERSATION.exec(key);
  if (m) return toPartitionValue(`${m[1]}/${m[2]}/conversations/${rootConversationId(m[3])}`);
  return toPartitionValue(key);
}

/** Partition value for transcript entries: the root conversation id (threads share it). */
export function transcriptPartitionValue(conversationId: string): string {
  return toPartitionValue(rootConversationId(conversationId));
}

/** The key teams-ai TurnState uses for conversation scope; also the natural lease key. */
export function turnStateConversationKey(channelId: string, botId: string, conversationId: string): string {
  return `${channelId}/${botId}/conversations/${conversationId}`;
}
