/** One out-of-fold prediction used to pick the out-of-scope threshold. */
export interface CalibrationPoint {
  isOutOfScope: boolean;
  /** Whether the top label (ignoring the threshold) is the true label. */
  topIsCorrect: boolean;
  /** Probability of the top label. */
  confidence: number;
}

export interface ThresholdChoice {
  threshold: number;
  /** Fractions measured on the calibration points at that threshold. */
  inScopeAccuracy: number;
  oosRecall: number;
  points: number;
}

/**
 * Picks the confidence threshold below which a prediction becomes out-of-scope, by maximising
 * in-scope accuracy + OOS recall (each a fraction, equally weighted) over out-of-fold predictions.
 * In-scope counts as correct only when the top label is right AND its confidence clears the threshold;
 * an OOS utterance is recalled when the model already predicts the OOS class or falls below it.
 * Ties go to the lowest threshold (the least intrusive one). With no OOS points the threshold is 0.
 */
export function chooseThreshold(points: CalibrationPoint[], maxThreshold = 0.95): ThresholdChoice {
  const inScope = points.filter((p) => !p.isOutOfScope);
  const oos = points.filter((p) => p.isOutOfScope);
  const evaluate = (t: number): ThresholdChoice => {
    const acc = inScope.length
      ? inScope.filter((p) => p.topIsCorrect && p.confidence >= t).length / inScope.length
      : 0;
    const recall = oos.length ? oos.filter((p) => p.topIsCorrect || p.confidence < t).length / oos.length : 0;
    return { threshold: t, inScopeAccuracy: acc, oosRecall: recall, points: points.length };
  };
  if (oos.length === 0 || inScope.length === 0) return evaluate(0);
  // Candidate thresholds sit just above each observed confidence, so each one flips at least one point.
  const candidates = [0, ...points.map((p) => p.confidence + 1e-9).filter((t) => t <= maxThreshold)].sort(
    (a, b) => a - b,
  );
  let best = evaluate(0);
  for (const t of candidates) {
    const choice = evaluate(t);
    if (choice.inScopeAccuracy + choice.oosRecall > best.inScopeAccuracy + best.oosRecall + 1e-12)
      best = choice;
  }
  return best;
}
