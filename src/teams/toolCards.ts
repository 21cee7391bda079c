import type { MissingDeliveryData } from '../actions/reportMissingDelivery';
import type { HandoffOutcomeData } from '../actions/requestHuman';
import type { AdaptiveCard } from './cards/cardBase';
import { deliveryCandidatesCard, handoffCard } from './cards/handoffCards';
import { returnConfirmCard } from './cards/returnCards';
import type { ReturnOffer } from '../actions/startReturn';

/**
 * Cards for tools that return domain data instead of a card (the core renders nothing): the
 * Teams layer draws them here, for both the message route and a card button that ran the tool.
 */
export function renderToolCard(tool: string, data: unknown): AdaptiveCard | undefined {
  const d = data as { kind?: string } | undefined;
  if (tool === 'request_human' && d?.kind === 'handoff') return handoffCard(d as HandoffOutcomeData);
  if (tool === 'report_missing_delivery' && d?.kind === 'delivery_candidates')
    return deliveryCandidatesCard(
      (d as Extract<MissingDeliveryData, { kind: 'delivery_candidates' }>).candidates,
    );
  if (tool === 'start_return') {
    const offer = (data as { returnOffer?: ReturnOffer } | undefined)?.returnOffer;
    return offer ? returnConfirmCard(offer) : undefined;
  }
  return undefined;
}
