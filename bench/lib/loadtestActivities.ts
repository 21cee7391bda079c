import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from './childServer';

/**
 * ops/loadtest/activities.json: the Teams message activities the load test replays, read by the
 * JMeter plan (ops/loadtest/teams-bot.jmx, Azure Load Testing) and by `npm run loadtest:local`.
 */
export const ACTIVITIES_FILE = 'ops/loadtest/activities.json';

const account = z.object({ id: z.string().min(1), name: z.string().min(1) });

/** What a Teams message activity must carry for this bot to answer it (see test/helpers/activities.ts). */
export const teamsMessageActivity = z.object({
  type: z.literal('message'),
  id: z.string().min(1),
  timestamp: z.string().datetime(),
  serviceUrl: z.string().url(),
  channelId: z.literal('msteams'),
  from: account.extend({ aadObjectId: z.string().uuid() }),
  conversation: z.object({
    id: z.string().min(1),
    conversationType: z.enum(['personal', 'groupChat', 'channel']),
    tenantId: z.string().uuid(),
  }),
  recipient: account,
  channelData: z.object({ tenant: z.object({ id: z.string().uuid() }) }).passthrough(),
  locale: z.string().min(2),
  text: z.string().min(1).max(4000),
  textFormat: z.literal('plain'),
  entities: z.array(z.record(z.unknown())),
});

export type TeamsMessageActivity = z.infer<typeof teamsMessageActivity>;

export const activitiesFile = z.object({
  description: z.string(),
  scenarios: z
    .array(
      z.object({
        scenario: z.enum(['order-status', 'knowledge-question', 'ticket-draft']),
        activity: teamsMessageActivity,
      }),
    )
    .min(1),
});

export type ActivitiesFile = z.infer<typeof activitiesFile>;

/** Reads and validates the activity file; a bad file fails with the zod path of the first problem. */
export function loadActivities(path = join(PROJECT_ROOT, ACTIVITIES_FILE)): ActivitiesFile {
  const parsed = activitiesFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${path}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * One request's activity from a template, as the JMeter plan builds it: fresh id and timestamp, the
 * run's serviceUrl, and the conversation id suffixed with the virtual user (one personal chat each).
 */
export function instantiate(
  template: TeamsMessageActivity,
  serviceUrl: string,
  virtualUser: string,
): TeamsMessageActivity {
  return {
    ...template,
    id: `loadtest-${randomUUID()}`,
    timestamp: new Date().toISOString(),
    serviceUrl,
    conversation: { ...template.conversation, id: `${template.conversation.id}-${virtualUser}` },
  };
}
