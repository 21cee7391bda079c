import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { MentionedPerson } from '../actions/types';
import { isObjectId } from '../knowledge/groups';
import { logger } from '../observability/logger';

type MentionEntity = {
  type?: string;
  mentioned?: { id?: unknown; name?: unknown; aadObjectId?: unknown };
};

/**
 * The people @mentioned in a message, the bot itself left out, as the tools need them: the Entra
 * object id (what RBAC and the ticket store use; a display name is never an identity), the Teams
 * account id (`29:…`, to reach them 1:1) and the name (for replies only).
 *
 * The object id comes from the mention entity when Teams puts it there (`mentioned.aadObjectId`,
 * or a `mentioned.id` that is itself an object id); otherwise from the conversation's roster
 * (`TeamsInfo.getMember` with the `29:` id, the team's roster in a channel). A lookup that fails
 * leaves the id undefined, and the tool refuses rather than guesses.
 */
export async function mentionedPeople(
  context: TurnContext,
  groupsOf?: (aadObjectId: string) => Promise<string[]>,
): Promise<MentionedPerson[]> {
  const botId = context.activity.recipient?.id;
  const seen = new Set<string>();
  const people: MentionedPerson[] = [];
  for (const entity of (context.activity.entities ?? []) as MentionEntity[]) {
    if (entity.type !== 'mention' || typeof entity.mentioned?.id !== 'string') continue;
    const id = entity.mentioned.id;
    if (id === botId || seen.has(id)) continue;
    seen.add(id);
    const name = typeof entity.mentioned.name === 'string' ? entity.mentioned.name : undefined;
    const aadObjectId = await objectIdOf(context, id, entity.mentioned.aadObjectId);
    const groupIds = aadObjectId && groupsOf ? await groupsOf(aadObjectId).catch(() => []) : undefined;
    people.push({
      ...(aadObjectId ? { aadObjectId: aadObjectId.toLowerCase() } : {}),
      ...(id.startsWith('29:') ? { channelUserId: id } : {}),
      ...(name ? { name } : {}),
      ...(groupIds ? { groupIds } : {}),
    });
  }
  return people;
}

async function objectIdOf(context: TurnContext, id: string, given: unknown): Promise<string | undefined> {
  if (isObjectId(given)) return given;
  if (isObjectId(id)) return id;
  try {
    const member = await TeamsInfo.getMember(context, id);
    return isObjectId(member?.aadObjectId) ? member.aadObjectId : undefined;
  } catch (err) {
    logger.info(
      { err: (err as Error).message },
      'mention: roster lookup failed; the person stays unresolved',
    );
    return undefined;
  }
}
