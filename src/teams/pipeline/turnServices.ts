import type { Activity, TurnContext } from 'botbuilder';
import type { GroupDirectory } from '../../knowledge';
import type { ProactiveMessenger } from '../proactive';
import { deliverPrivately } from '../privateDelivery';
import type { TurnTranscript } from '../transcriptRecorder';
import { turnStep, type TurnStep } from './step';
import { turnTranscript } from './transcript';
import { getTurnData, setTurnData, turnDataKey } from './turnData';

/** Per-turn services the routes need, put on the TurnContext by the last pipeline step. */
export interface TurnServices {
  transcript?: TurnTranscript;
  /** The user's access groups (names or ids) for RBAC role membership. */
  groups: () => Promise<string[]>;
  /** Anyone's access groups by object id (a mentioned person's, for RBAC on an assignment target). */
  groupsOf?: (aadObjectId: string) => Promise<string[]>;
  /** Sends a message to the asker's 1:1 chat (opened proactively); false when that failed. */
  sendPrivately?: (message: Partial<Activity>) => Promise<boolean>;
}

export const TURN_SERVICES = turnDataKey<TurnServices>('turnServices');

/** The turn's services; undefined outside the pipeline (e.g. a route test calling app.run). */
export function turnServices(context: TurnContext): TurnServices | undefined {
  return getTurnData(context, TURN_SERVICES);
}

/** Gives the routes the asker's groups and a private channel to them, with the turn's transcript. */
export function provideTurnServices(
  groups: Pick<GroupDirectory, 'groupsOf'>,
  proactive: ProactiveMessenger,
): TurnStep {
  return turnStep('turnServices', async (context, next) => {
    const transcript = turnTranscript(context);
    const aad = context.activity.from?.aadObjectId;
    setTurnData(context, TURN_SERVICES, {
      transcript,
      groups: () => (aad ? groups.groupsOf(aad) : Promise.resolve([])),
      groupsOf: (id) => groups.groupsOf(id),
      sendPrivately: async (message) => {
        const sent = await deliverPrivately(proactive, context, message);
        if (sent) transcript?.sentElsewhere(message, sent.conversationId);
        return sent !== undefined;
      },
    });
    await next();
  });
}
