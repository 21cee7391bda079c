import { ActivityTypes, type Activity } from 'botbuilder';
import type { Citation } from '@microsoft/teams-ai';

const SNIPPET_MAX = 477;

/**
 * A bot message with Teams citations: [n] markers in the text, one ClientCitation entity per
 * source actually cited (name, snippet, url, page keyword), and the AI-generated label.
 */
export function renderCitedMessage(content: string, citations: readonly Citation[]): Partial<Activity> {
  const text = content.replace(/\[docs?(\d+)\]/gi, '[$1]');
  const used = new Set([...text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])));
  const claims = citations
    .map((c, i) => ({ c, position: i + 1 }))
    .filter(({ position }) => used.has(position))
    .map(({ c, position }) => {
      const page = /\(p\. (\d+)\)$/.exec(c.title ?? '')?.[1];
      return {
        '@type': 'Claim',
        position,
        appearance: {
          '@type': 'DigitalDocument',
          name: c.title || `Document ${position}`,
          abstract: snippet(c.content),
          ...(c.url ? { url: c.url } : {}),
          ...(page ? { keywords: [`page ${page}`] } : {}),
        },
      };
    });
  return {
    type: ActivityTypes.Message,
    text,
    entities: [
      {
        type: 'https://schema.org/Message',
        '@type': 'Message',
        '@context': 'https://schema.org',
        '@id': '',
        additionalType: ['AIGeneratedContent'],
        ...(claims.length ? { citation: claims } : {}),
      },
    ],
  };
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= SNIPPET_MAX ? flat : `${flat.slice(0, SNIPPET_MAX - 1)}…`;
}
