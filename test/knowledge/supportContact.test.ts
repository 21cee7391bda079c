import { describe, expect, it } from 'vitest';
import { contactFromHit, findSupportContact } from '../../src/knowledge/supportContact';
import { EVERYONE, type KnowledgeHit, type KnowledgeSearch } from '../../src/knowledge/types';

const hit = (content: string, groups = [EVERYONE]): KnowledgeHit => ({
  id: 'x',
  content,
  title: 'Contact us',
  headingPath: [],
  source: 'data/knowledge/contact.md',
  groups,
  score: 1,
});

describe('support contact from the knowledge base', () => {
  it('reads phone, email and the phone-support hours out of the document text', () => {
    const contact = contactFromHit(
      hit(
        'Reach us any way you like. Phone support: +44 20 7946 0958, weekdays from 9:00 to 17:30. ' +
          'Phone support is closed on bank holidays. Email: help@example.org answers within a day.',
      ),
    );
    expect(contact).toEqual({
      phone: '+44 20 7946 0958',
      email: 'help@example.org',
      hours: 'weekdays from 9:00 to 17:30. Phone support is closed on bank holidays.',
      sourceTitle: 'Contact us',
      source: 'data/knowledge/contact.md',
    });
  });

  it('finds nothing in a document without a phone number or email', () => {
    expect(contactFromHit(hit('Our stores are open Monday to Saturday from 10 am to 9 pm.'))).toBeUndefined();
  });

  it('searches documents for everyone only and skips restricted hits', async () => {
    const seen: string[][] = [];
    const search = {
      search: async (_q: string, opts: { groups: string[] }) => {
        seen.push(opts.groups);
        return [hit('Phone support: 1-800-555-0100, Monday to Friday 8 am to 4 pm.', ['hr'])];
      },
    } as unknown as KnowledgeSearch;
    expect(await findSupportContact(search)).toBeUndefined();
    expect(seen).toEqual([[EVERYONE]]);
  });
});

describe('a Chinese contact document', () => {
  it('gives the number, the hours after it and when phone support is closed', () => {
    const contact = contactFromHit({
      title: '联系我们',
      source: 'kb/contact.zh-CN.txt',
      language: 'zh-CN',
      content:
        '售后服务可通过邮件或电话办理。\n\n客服电话：+49 30 1234 5678，周一至周五上午 9 点至下午 6 点。周末电话客服休息。\n\n邮箱：help@shop.example。',
    });
    expect(contact).toEqual({
      phone: '+49 30 1234 5678',
      email: 'help@shop.example',
      hours: '周一至周五上午 9 点至下午 6 点。周末电话客服休息。',
      sourceTitle: '联系我们',
      source: 'kb/contact.zh-CN.txt',
    });
  });
});
