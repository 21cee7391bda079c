import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import {
  activityOfType,
  groupChat,
  message,
  personalConversation,
  users,
  type ConversationRef,
  type TestUser,
} from '../helpers/activities';
import { confirmDraftAction } from '../helpers/cards';
import { ME_COMMANDS, parseUnfurlUrl } from '../../src/teams/messageExtension';

/**
 * The search-based message extension and link unfurling through the real server: Teams'
 * composeExtension/query, /selectItem and /queryLink invokes, answered in the HTTP response.
 */
let t: BotUnderTest;

beforeAll(async () => {
  t = await startBotUnderTest(freshKnowledgeIndex('me-'));
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

/** A 1:1 chat between two people: Teams calls it personal too, but its id is a 19: thread. */
function chatBetweenPeople(): ConversationRef {
  return { kind: 'personal', id: `19:${randomUUID()}_${randomUUID()}@unq.gbl.spaces` };
}

function invoke(conv: ConversationRef, user: TestUser, name: string, value: unknown) {
  return { ...activityOfType(t.connector.url, conv, 'invoke', user), name, value };
}

async function composeExtension(conv: ConversationRef, user: TestUser, name: string, value: unknown) {
  const res = await t.post(invoke(conv, user, name, value));
  expect(res.status).toBe(200);
  return res.body.composeExtension as {
    type: 'result' | 'message';
    text?: string;
    attachments?: Array<{ contentType: string; content: any; preview?: { content: any } }>;
  };
}

const search = (conv: ConversationRef, user: TestUser, commandId: string, query: string) =>
  composeExtension(conv, user, 'composeExtension/query', {
    commandId,
    parameters: [{ name: 'query', value: query }],
    queryOptions: { skip: 0, count: 25 },
  });

const select = (conv: ConversationRef, user: TestUser, item: unknown) =>
  composeExtension(conv, user, 'composeExtension/selectItem', item);

const unfurl = (conv: ConversationRef, user: TestUser, url: string) =>
  composeExtension(conv, user, 'composeExtension/queryLink', { url });

const tapValue = (attachment: { preview?: { content: any } }) => attachment.preview!.content.tap.value;
const json = (x: unknown) => JSON.stringify(x);
/** Text only the HR handbook has (the query itself travels in the signed tap, so is no evidence). */
const handbook = /employee-handbook|Employee handbook|16 weeks/i;

describe('message extension: search my orders', () => {
  it("offers the caller's own orders, each with its card and a signed tap", async () => {
    const result = await search(personalConversation(users.alex), users.alex, ME_COMMANDS.orders, '');
    expect(result.type).toBe('result');
    const ids = result.attachments!.map((a) => a.preview!.content.title);
    expect(ids.sort()).toEqual(['ORD-10388', 'ORD-10395', 'ORD-10421', 'ORD-10422']);
    const first = result.attachments![0];
    expect(first.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(tapValue(first)).toMatchObject({ kind: 'order', sig: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('matches item names and statuses among the own orders only', async () => {
    const conv = personalConversation(users.alex);
    const all = await search(conv, users.alex, ME_COMMANDS.orders, '');
    const some = await search(conv, users.alex, ME_COMMANDS.orders, 'processing');
    expect(some.attachments!.map((a) => a.preview!.content.title)).toEqual(['ORD-10422']);
    expect(some.attachments!.length).toBeLessThan(all.attachments!.length);
  });

  it("never offers someone else's order, even by its exact id; a support agent finds it", async () => {
    const foreign = await search(
      personalConversation(users.alex),
      users.alex,
      ME_COMMANDS.orders,
      'ORD-10430',
    );
    expect(foreign.type).toBe('message');
    expect(json(foreign)).not.toContain('ORD-10430"');
    const agent = await search(personalConversation(users.dana), users.dana, ME_COMMANDS.orders, 'ord-10430');
    expect(agent.attachments!.map((a) => a.preview!.content.title)).toEqual(['ORD-10430']);
  });

  it('gives a caller without a work account (no aadObjectId) nothing personal', async () => {
    const anonymous = { id: '29:guest', aadObjectId: '', name: 'Guest' };
    const activity = invoke(personalConversation(), anonymous, 'composeExtension/query', {
      commandId: ME_COMMANDS.orders,
      parameters: [{ name: 'query', value: '' }],
    });
    delete (activity.from as { aadObjectId?: string }).aadObjectId;
    const res = await t.post(activity);
    expect(res.body.composeExtension.type).toBe('message');
    expect(json(res.body)).not.toMatch(/ORD-\d+/);
  });

  it('inserts the full card in the 1:1 chat with the bot, id and status only where others read it', async () => {
    const own = await search(personalConversation(users.alex), users.alex, ME_COMMANDS.orders, 'ORD-10421');
    expect(json(own.attachments![0].content)).toContain('Alex Customer');
    const shared = await search(groupChat(), users.alex, ME_COMMANDS.orders, 'ORD-10421');
    const card = json(shared.attachments![0].content);
    expect(card).toContain('ORD-10421');
    expect(card).not.toContain('Alex Customer');
    expect(card).not.toMatch(/Total|Track with/);
  });
});

describe('message extension: search the knowledge base', () => {
  it('offers an HR member the handbook in the 1:1 chat with the bot, with its citation', async () => {
    const result = await search(
      personalConversation(users.bea),
      users.bea,
      ME_COMMANDS.knowledge,
      'parental leave',
    );
    const hr = result.attachments!.find((a) => json(a.content).includes('employee-handbook.pdf'));
    expect(hr).toBeDefined();
    const card = json(hr!.content);
    expect(card).toContain('16 weeks');
    expect(card).toMatch(/"Source","value":"Employee handbook · page \d"/);
    expect(tapValue(hr!)).toMatchObject({ kind: 'knowledge', q: 'parental leave' });
  });

  it('never offers an HR snippet to a user outside hr', async () => {
    const result = await search(
      personalConversation(users.alex),
      users.alex,
      ME_COMMANDS.knowledge,
      'parental leave',
    );
    expect(json(result)).not.toMatch(handbook);
  });

  it('offers even an HR member only public documents in a group chat or a chat with another person', async () => {
    for (const conv of [groupChat(), chatBetweenPeople()]) {
      const result = await search(conv, users.bea, ME_COMMANDS.knowledge, 'parental leave');
      expect(json(result), conv.id).not.toMatch(handbook);
    }
    const publicHit = await search(groupChat(), users.bea, ME_COMMANDS.knowledge, 'return an item');
    expect(json(publicHit.attachments)).toContain('returns-and-refunds.md');
  });

  it('links the source when the document has a public URL', async () => {
    const result = await search(
      personalConversation(users.alex),
      users.alex,
      ME_COMMANDS.knowledge,
      'return an item',
    );
    const returns = result.attachments!.find((a) => json(a.content).includes('returns-and-refunds.md'))!;
    expect(returns.content.actions).toEqual([
      {
        type: 'Action.OpenUrl',
        title: 'Open the source',
        url: 'https://support.contoso-outfitters.example/returns',
      },
    ]);
  });

  it('asks for a query instead of searching for nothing', async () => {
    const result = await search(personalConversation(users.alex), users.alex, ME_COMMANDS.knowledge, '  ');
    expect(result.type).toBe('message');
  });
});

describe('message extension: selectItem re-validates', () => {
  async function beaOrderTap() {
    const result = await search(personalConversation(users.bea), users.bea, ME_COMMANDS.orders, 'ORD-10430');
    return tapValue(result.attachments![0]);
  }

  it('returns the card for a genuine selection', async () => {
    const selected = await select(personalConversation(users.bea), users.bea, await beaOrderTap());
    expect(selected.type).toBe('result');
    expect(json(selected.attachments![0].content)).toContain('ORD-10430');
  });

  it('refuses tampered data: another order id under the signature', async () => {
    const tampered = { ...(await beaOrderTap()), id: 'ORD-10421' };
    const selected = await select(personalConversation(users.bea), users.bea, tampered);
    expect(selected.type).toBe('message');
    expect(json(selected)).not.toContain('ORD-10421');
  });

  it("refuses someone else's genuine item (the signature names the caller) and a missing signature", async () => {
    const item = await beaOrderTap();
    const replayed = await select(personalConversation(users.alex), users.alex, item);
    expect(replayed.type).toBe('message');
    expect(json(replayed)).not.toContain('ORD-10430');
    const unsigned = await select(personalConversation(users.bea), users.bea, {
      kind: 'order',
      id: 'ORD-10430',
      q: '',
    });
    expect(unsigned.type).toBe('message');
  });

  it('re-checks a passage where it is inserted: an HR snippet selected in a group chat is refused', async () => {
    const result = await search(
      personalConversation(users.bea),
      users.bea,
      ME_COMMANDS.knowledge,
      'parental leave',
    );
    const hr = result.attachments!.find((a) => json(a.content).includes('employee-handbook.pdf'))!;
    const inPrivate = await select(personalConversation(users.bea), users.bea, tapValue(hr));
    expect(json(inPrivate.attachments)).toContain('16 weeks');
    const inGroup = await select(groupChat(), users.bea, tapValue(hr));
    expect(inGroup.type).toBe('message');
    expect(json(inGroup)).not.toMatch(handbook);
  });
});

describe('link unfurling', () => {
  const base = 'https://app-bot-abc123.azurewebsites.net';

  it("previews the caller's order by id and status only", async () => {
    const result = await unfurl(groupChat(), users.alex, `${base}/orders/ORD-10421`);
    expect(result.type).toBe('result');
    const card = json(result.attachments![0].content);
    expect(card).toContain('Order ORD-10421');
    expect(card).toContain('Shipped');
    expect(card).not.toMatch(/Alex Customer|Total|Track with|\u00d7/);
  });

  it("previews nothing for someone else's order or an unknown link", async () => {
    for (const url of [`${base}/orders/ORD-10430`, `${base}/orders/ORD-99999`, `${base}/help`, 'not a url']) {
      const result = await unfurl(groupChat(), users.alex, url);
      expect(result, url).toEqual({ type: 'result', attachmentLayout: 'list', attachments: [] });
    }
  });

  it("previews the requester's ticket, not someone else's", async () => {
    const conv = personalConversation(users.alex);
    const draft = message(t.connector.url, conv, 'Open a ticket: my laptop will not boot', {
      user: users.alex,
    });
    await t.post(draft);
    const confirmed = await t.post(confirmDraftAction(t.connector, conv, draft.id));
    const ticketId = /TKT-\d{6}/.exec(json(confirmed.body))![0];
    const own = await unfurl(groupChat(), users.alex, `${base}/tickets/${ticketId}`);
    const card = json(own.attachments![0].content);
    expect(card).toContain(`Ticket ${ticketId}`);
    expect(card).not.toContain('laptop');
    const foreign = await unfurl(groupChat(), users.bea, `${base}/tickets/${ticketId}`);
    expect(foreign.attachments).toEqual([]);
  });

  it('accepts only https links of the documented form', () => {
    expect(parseUnfurlUrl(`${base}/orders/ord-10421`)).toEqual({ kind: 'orders', id: 'ORD-10421' });
    expect(parseUnfurlUrl(`${base}/tickets/TKT-000001/`)).toEqual({ kind: 'tickets', id: 'TKT-000001' });
    expect(parseUnfurlUrl('http://app-bot-abc123.azurewebsites.net/orders/ORD-10421')).toBeUndefined();
    expect(parseUnfurlUrl(`${base}/orders/TKT-000001`)).toBeUndefined();
    expect(parseUnfurlUrl(`${base}/orders/ORD-10421/items`)).toBeUndefined();
  });
});

describe('message extension: a compose-box invoke that cannot be served', () => {
  it('gets a short note as its response (rate limited), not an error and no message in the chat', async () => {
    const limited = await startBotUnderTest({
      ...freshKnowledgeIndex('me-rl-'),
      RATE_LIMIT_USER_PER_MIN: '1',
    });
    try {
      const conv = personalConversation(users.alex);
      const value = { commandId: ME_COMMANDS.orders, parameters: [{ name: 'query', value: '' }] };
      const activity = () => ({
        ...activityOfType(limited.connector.url, conv, 'invoke', users.alex),
        name: 'composeExtension/query',
        value,
      });
      expect((await limited.post(activity())).body.composeExtension.type).toBe('result');
      const second = await limited.post(activity());
      expect(second.status).toBe(200);
      expect(second.body.composeExtension).toEqual({ type: 'message', text: expect.stringMatching(/wait/i) });
      expect(limited.connector.messages(conv.id)).toHaveLength(0);
    } finally {
      await limited.stop();
    }
  }, 120_000);
});
