import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';

describe('support conversation settings', () => {
  it('defaults to none and 10 transcript turns', () => {
    expect(loadConfig({}).support).toEqual({
      conversationId: undefined,
      serviceUrl: undefined,
      transcriptTurns: 10,
    });
  });

  it('takes both variables together', () => {
    const config = loadConfig({
      SUPPORT_CONVERSATION_ID: '19:desk@thread.tacv2',
      SUPPORT_SERVICE_URL: 'https://smba.trafficmanager.net/emea/',
      HANDOFF_TRANSCRIPT_TURNS: '4',
    });
    expect(config.support).toEqual({
      conversationId: '19:desk@thread.tacv2',
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      transcriptTurns: 4,
    });
  });

  it('refuses one without the other, plain http beyond loopback and a bad turn count', () => {
    expect(() => loadConfig({ SUPPORT_CONVERSATION_ID: '19:desk@thread.tacv2' })).toThrow(
      /SUPPORT_SERVICE_URL is required when SUPPORT_CONVERSATION_ID is set/,
    );
    expect(() => loadConfig({ SUPPORT_SERVICE_URL: 'https://smba.trafficmanager.net/emea/' })).toThrow(
      /SUPPORT_CONVERSATION_ID is required/,
    );
    expect(() =>
      loadConfig({ SUPPORT_CONVERSATION_ID: '19:x', SUPPORT_SERVICE_URL: 'http://smba.example.com/' }),
    ).toThrow(/SUPPORT_SERVICE_URL must be an https URL/);
    expect(() => loadConfig({ HANDOFF_TRANSCRIPT_TURNS: '0' })).toThrow(/HANDOFF_TRANSCRIPT_TURNS/);
  });
});
