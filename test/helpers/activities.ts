import { randomUUID } from 'node:crypto';

/** Builders for Teams-shaped Bot Framework activities, as Teams posts them to /api/messages. */
export const BOT_ID = '28:bot-app-id';
export const BOT_NAME = 'Service Bot';
export const TENANT_ID = '72f988bf-0000-0000-0000-000000000001';

export interface TestUser {
  id: string;
  aadObjectId: string;
  name: string;
}

export const users = {
  alex: { id: '29:alex', aadObjectId: '00000000-0000-0000-0000-00000000a001', name: 'Alex Customer' },
  bea: { id: '29:bea', aadObjectId: '00000000-0000-0000-0000-00000000a002', name: 'Bea HR' },
  carl: { id: '29:carl', aadObjectId: '00000000-0000-0000-0000-00000000a003', name: 'Carl Legal' },
  dana: { id: '29:dana', aadObjectId: '00000000-0000-0000-0000-00000000a004', name: 'Dana Support' },
} satisfies Record<string, TestUser>;

type Kind = 'personal' | 'groupChat' | 'channel';

export interface ConversationRef {
  kind: Kind;
  id: string;
}

export function personalConversation(user: TestUser = users.alex): ConversationRef {
  return { kind: 'personal', id: `a:1personal-${user.aadObjectId}-${randomUUID()}` };
}
export function groupChat(): ConversationRef {
  return { kind: 'groupChat', id: `19:group-${randomUUID()}@thread.v2` };
}
export function channelThread(rootMessageId = String(Date.now())): ConversationRef {
  return { kind: 'channel', id: `19:channel-${randomUUID()}@thread.tacv2;messageid=${rootMessageId}` };
}

function base(serviceUrl: string, conv: ConversationRef, user: TestUser) {
  return {
    id: `act-${randomUUID()}`,
    timestamp: new Date().toISOString(),
    serviceUrl,
    channelId: 'msteams',
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    conversation: {
      id: conv.id,
      conversationType: conv.kind,
      tenantId: TENANT_ID,
      ...(conv.kind !== 'personal' ? { isGroup: true } : {}),
    },
    recipient: { id: BOT_ID, name: BOT_NAME },
    channelData: {
      tenant: { id: TENANT_ID },
      ...(conv.kind === 'channel'
        ? { team: { id: '19:team@thread.tacv2' }, channel: { id: '19:channel@thread.tacv2' } }
        : {}),
    },
    locale: 'en-US',
  };
}

export function message(
  serviceUrl: string,
  conv: ConversationRef,
  text: string,
  opts: { user?: TestUser; mention?: boolean; extraMentions?: TestUser[] } = {},
) {
  const user = opts.user ?? users.alex;
  const entities: Record<string, unknown>[] = [];
  let body = text;
  if (opts.mention) {
    body = `<at>${BOT_NAME}</at> ${text}`;
    entities.push({
      type: 'mention',
      text: `<at>${BOT_NAME}</at>`,
      mentioned: { id: BOT_ID, name: BOT_NAME },
    });
  }
  for (const other of opts.extraMentions ?? []) {
    body = `${body} <at>${other.name}</at>`;
    entities.push({
      type: 'mention',
      text: `<at>${other.name}</at>`,
      mentioned: { id: other.id, name: other.name },
    });
  }
  return { ...base(serviceUrl, conv, user), type: 'message', text: body, textFormat: 'plain', entities };
}

export function conversationUpdateBotAdded(
  serviceUrl: string,
  conv: ConversationRef,
  user: TestUser = users.alex,
) {
  return { ...base(serviceUrl, conv, user), type: 'conversationUpdate', membersAdded: [{ id: BOT_ID }] };
}

export function installationUpdate(
  serviceUrl: string,
  conv: ConversationRef,
  action = 'add',
  user: TestUser = users.alex,
) {
  return { ...base(serviceUrl, conv, user), type: 'installationUpdate', action };
}

export function cardAction(
  serviceUrl: string,
  conv: ConversationRef,
  verb: string,
  data: Record<string, unknown>,
  user: TestUser = users.alex,
  replyToId = 'card-activity-1',
) {
  return {
    ...base(serviceUrl, conv, user),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

export function activityOfType(
  serviceUrl: string,
  conv: ConversationRef,
  type: string,
  user: TestUser = users.alex,
) {
  return { ...base(serviceUrl, conv, user), type };
}

/** Teams' feedback invoke (thumbs up/down under an AI answer); `feedback` is the JSON string Teams sends. */
export function feedbackInvoke(
  serviceUrl: string,
  conv: ConversationRef,
  replyToId: string,
  reaction: 'like' | 'dislike',
  user: TestUser = users.alex,
  feedbackText?: string,
) {
  return {
    ...base(serviceUrl, conv, user),
    type: 'invoke',
    name: 'message/submitAction',
    replyToId,
    value: {
      actionName: 'feedback',
      actionValue: {
        reaction,
        feedback: JSON.stringify(feedbackText === undefined ? {} : { feedbackText }),
      },
    },
  };
}
