import { logger } from '../observability/logger';
import type { CreatedTicket, TicketDocument } from '../tickets/ticket';
import type { AssignmentChange } from '../tickets/ticketAssignment';
import type { Translator } from '../text/i18n';
import type { ActionDeps } from './deps';
import { ticketNotFound, ticketsUnavailableIn, translatorFor } from './messages';
import type { RbacPolicy } from './rbac';
import { parseToolArgs } from './schemas';
import { type ActionContext, type ActionHandler, type ActionOutcome, failure } from './types';

/**
 * A ticket as a status card shows it to one viewer: `canAssign` when the viewer holds
 * tickets.assign.any (the card then offers "Assign to me" / "Unassign"), with their object id so
 * the card knows which of the two applies.
 */
export type TicketView = TicketDocument & {
  viewer?: { aadObjectId: string; canAssign: boolean };
  /** What the tool did, as one sentence above the card (assign_ticket). */
  note?: string;
};

export function ticketViewFor(ticket: TicketDocument, ctx: ActionContext, rbac: RbacPolicy): TicketView {
  const canAssign = rbac.hasPermission(ctx.roles, 'tickets.assign.any');
  return { ...ticket, viewer: { aadObjectId: ctx.user.aadObjectId.toLowerCase(), canAssign } };
}

type Target = { ok: true; to?: AssignmentChange['to'] } | { ok: false; outcome: ActionOutcome };

/**
 * Who the ticket goes to. 'mentioned': the one person @mentioned in the message, by the Entra
 * object id the channel glue resolved from the mention entity (never a display name), and only
 * when RBAC makes them a support agent (tickets.update.any through their user id or groups).
 */
function targetOf(
  assignee: 'me' | 'mentioned' | 'nobody',
  ticketId: string,
  ctx: ActionContext,
  rbac: RbacPolicy,
  tr: Translator,
): Target {
  const self = {
    aadObjectId: ctx.user.aadObjectId,
    name: ctx.user.name,
    channelUserId: ctx.user.channelUserId,
    address: ctx.address,
  };
  if (assignee === 'nobody') return { ok: true };
  if (assignee === 'me') return { ok: true, to: self };
  const mentions = ctx.mentions ?? [];
  if (mentions.length === 0)
    return { ok: false, outcome: failure('invalid_arguments', tr.t('assign.noMention', { ticketId })) };
  if (mentions.length > 1)
    return { ok: false, outcome: failure('invalid_arguments', tr.t('assign.manyMentions', { ticketId })) };
  const person = mentions[0]!;
  const name = person.name ?? '';
  if (!person.aadObjectId)
    return { ok: false, outcome: failure('not_found', tr.t('assign.unresolved', { ticketId, name })) };
  if (person.aadObjectId.toLowerCase() === ctx.user.aadObjectId.toLowerCase()) return { ok: true, to: self };
  const roles = rbac.rolesFor({ aadObjectId: person.aadObjectId, groupIds: person.groupIds });
  if (!rbac.hasPermission(roles, 'tickets.update.any'))
    return { ok: false, outcome: failure('forbidden', tr.t('assign.notAgent', { ticketId, name })) };
  return {
    ok: true,
    to: {
      aadObjectId: person.aadObjectId,
      name: person.name,
      channelUserId: person.channelUserId,
      address: ctx.address,
    },
  };
}

/**
 * assign_ticket(ticketId, assignee): support agents (tickets.assign.any) take a ticket, give it to
 * another agent @mentioned in the message, or unassign it. Everyone else is refused in code,
 * whatever the model asked for. `expectedAssigneeId` (card clicks only, not a tool argument): the
 * assignee the clicked card was drawn with, so a stale card does not take a ticket from the agent
 * who took it meanwhile.
 */
export function createAssignTicket(deps: Pick<ActionDeps, 'tickets' | 'rbac'>): ActionHandler {
  return async (ctx, rawArgs) => {
    const { expectedAssigneeId, ...toolArgs } = (rawArgs ?? {}) as Record<string, unknown>;
    const args = parseToolArgs('assign_ticket', toolArgs);
    if (!args.ok) return failure('invalid_arguments', args.error);
    const tr = translatorFor(ctx);
    const { ticketId, assignee } = args.value;
    if (!deps.rbac.hasPermission(ctx.roles, 'tickets.assign.any'))
      return failure('forbidden', tr.t('assign.forbidden'));
    const target = targetOf(assignee, ticketId, ctx, deps.rbac, tr);
    if (!target.ok) return target.outcome;
    try {
      const result = await deps.tickets.assign(ticketId, {
        to: target.to,
        by: `agent:${ctx.user.aadObjectId}`,
        ...(ctx.user.name ? { byName: ctx.user.name } : {}),
        ...(typeof expectedAssigneeId === 'string' ? { expectedAssigneeId } : {}),
      });
      if (result.outcome === 'not_found') return failure('not_found', ticketNotFound(ticketId, tr));
      if (result.outcome === 'refused') return failure('forbidden', tr.t('assign.closed', { ticketId }));
      const view = ticketViewFor(result.ticket, ctx, deps.rbac);
      const told = result.outcome === 'changed' && result.requesterTold;
      const summary = assignmentSummary(result.outcome, result.ticket, ctx, tr, told);
      return { ok: true, summary, data: { ...view, note: summary } };
    } catch (err) {
      logger.error({ err: String(err) }, 'assign_ticket failed');
      return failure('unavailable', ticketsUnavailableIn(tr));
    }
  };
}

/** One sentence on where the ticket stands now (a conflict says who has it; the card shows the rest). */
function assignmentSummary(
  outcome: 'changed' | 'unchanged' | 'conflict',
  ticket: CreatedTicket,
  ctx: ActionContext,
  tr: Translator,
  requesterTold: boolean,
): string {
  const ticketId = ticket.ticketId;
  const holder = ticket.assignee;
  const mine = holder?.aadObjectId.toLowerCase() === ctx.user.aadObjectId.toLowerCase();
  const name = holder?.name ?? tr.t('assign.anotherAgent');
  if (outcome === 'conflict')
    return holder
      ? tr.t('assign.conflict', { ticketId, name: mine ? tr.t('assign.you') : name })
      : tr.t('assign.conflictUnassigned', { ticketId });
  if (!holder)
    return tr.t(outcome === 'changed' ? 'assign.unassigned' : 'assign.alreadyUnassigned', { ticketId });
  if (outcome === 'unchanged')
    return mine ? tr.t('assign.alreadyYou', { ticketId }) : tr.t('assign.alreadyOther', { ticketId, name });
  const told = requesterTold ? tr.t('assign.requesterTold') : '';
  return `${mine ? tr.t('assign.toYou', { ticketId }) : tr.t('assign.toOther', { ticketId, name })}${told}`;
}
