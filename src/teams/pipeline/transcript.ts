import type { TranscriptModelPath } from '../../storage';
import type { BotMetrics } from '../../observability/metrics';
import { TurnTranscript } from '../transcriptRecorder';
import { turnStep, type TurnStep } from './step';
import { getTurnData, setTurnData, turnDataKey } from './turnData';

type TranscriptStore = ConstructorParameters<typeof TurnTranscript>[0];

/** The turn's transcript, for the steps after this one (dedup persists or discards it). */
export const TURN_TRANSCRIPT = turnDataKey<TurnTranscript>('turnTranscript');
export const turnTranscript = (context: Parameters<typeof getTurnData>[0]): TurnTranscript | undefined =>
  getTurnData(context, TURN_TRANSCRIPT);

/**
 * Records the turn's audit trail (inbound activity, every reply, tool calls) and writes it when
 * the turn ends, whatever happened in it: the storage apology is recorded too. The write goes to
 * the local spool when Cosmos is remote, so a failed write is only counted.
 */
export function recordTranscript(
  transcripts: TranscriptStore,
  modelPath: TranscriptModelPath,
  metrics: BotMetrics,
): TurnStep {
  return turnStep('transcript', async (context, next) => {
    const transcript = new TurnTranscript(transcripts, context, modelPath);
    setTurnData(context, TURN_TRANSCRIPT, transcript);
    transcript.start();
    try {
      await next();
    } finally {
      await transcript.flush().catch(() => {
        metrics.dependencyErrors.inc({ dependency: 'cosmos_transcript' });
      });
    }
  });
}
