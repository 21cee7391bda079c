import type { ReturnOffer } from '../../actions/startReturn';
import type { AdaptiveCard } from './cardBase';
import { returnConfirmCard } from './returnCards';

/**
 * Cards for tools whose core handler returns domain data only (no Teams types in src/actions):
 * the Teams layer renders them here. undefined: the tool shows no card for this outcome.
 */
export function toolCard(tool: string, data: unknown): AdaptiveCard | undefined {
  if (tool === 'start_return') {
    const offer = (data as { returnOffer?: ReturnOffer } | undefined)?.returnOffer;
    return offer ? returnConfirmCard(offer) : undefined;
  }
  return undefined;
}
