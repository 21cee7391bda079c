import { describe, expect, it } from 'vitest';
import {
  MAX_ID_LENGTH,
  rootConversationId,
  statePartitionValue,
  toCosmosId,
  toPartitionValue,
  transcriptPartitionValue,
} from '../../src/storage/keys';

describe('toCosmosId', () => {
  it('escapes characters Cosmos forbids in ids', () => {
    const id = toCosmosId('msteams/28:bot/conversations/a?b#c\\d');
    expect(id).not.toMatch(/[/\\?#]/);
    expect(id).toBe('msteams*2f28:bot*2fconversations*2fa*3fb*23c*5cd');
  });

  it('is injective: an escaped form and its source never collide', () => {
    expect(toCosmosId('a/b')).not.toBe(toCosmosId('a*2fb'));
    expect(toCosmosId('a*2fb')).toBe('a*2a2fb');
  });

  it('hashes keys whose escaped form exceeds 255 characters', () => {
    const long = 'x'.repeat(300);
    const id = toCosmosId(long);
    expect(id).toMatch(/^\*sha256\*[0-9a-f]{64}$/);
    expect(id.length).toBeLessThanOrEqual(MAX_ID_LENGTH);
    expect(toCosmosId(`${long}y`)).not.toBe(id);
  });

  it('hashes when escaping (not the raw length) pushes the id past the limit', () => {
    const key = '/'.repeat(100); // 100 chars raw, 300 escaped
    expect(toCosmosId(key)).toMatch(/^\*sha256\*/);
  });

  it('rejects empty and non-string keys', () => {
    expect(() => toCosmosId('')).toThrow(/non-empty string/);
    expect(() => toCosmosId(42 as unknown as string)).toThrow(/non-empty string/);
  });
});

describe('partition values', () => {
  const root = '19:abc@thread.tacv2';
  it('strips ;messageid= from channel thread conversation ids', () => {
    expect(rootConversationId(`${root};messageid=1712345678901`)).toBe(root);
    expect(rootConversationId(root)).toBe(root);
  });

  it('puts a channel thread and its root in the same state partition', () => {
    const k = `msteams/28:bot/conversations/${root}`;
    expect(statePartitionValue(`${k};messageid=17`)).toBe(statePartitionValue(k));
    expect(statePartitionValue('msteams/28:bot/users/29:user')).toBe('msteams/28:bot/users/29:user');
  });

  it('puts thread transcript entries in the root partition', () => {
    expect(transcriptPartitionValue(`${root};messageid=17`)).toBe(root);
  });

  it('hashes partition values above 1 KB', () => {
    const v = toPartitionValue('p'.repeat(2000));
    expect(v).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(toPartitionValue('short')).toBe('short');
  });
});

describe('teams-ai TurnState keys', () => {
  it('match the format TurnState persists under', async () => {
    const { turnStateConversationKey } = await import('../../src/storage/keys');
    expect(turnStateConversationKey('msteams', '28:bot', '19:c;messageid=1')).toBe(
      'msteams/28:bot/conversations/19:c;messageid=1',
    );
  });
});
