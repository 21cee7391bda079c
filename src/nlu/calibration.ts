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
 * Picks the confidence threshold below which a prediction becomes out-of-scope, from out-of-fold
 * predictions on the training examples only. In-scope counts as correct only when the top label is
 * right AND clears the threshold; an OOS utterance is recalled when the top label is already the OOS
 * class or falls below the threshold. Without OOS or in-scope points the threshold is 0.
 *
 * Two rules, both limited to thresholds that cost at most `maxInScopeLoss` of in-scope accuracy
 * (compared with no threshold), so a handful of OOS calibration points cannot pull the threshold up
 * at the expense of real requests:
 * - `oosRecallTarget` given: the lowest threshold whose OOS recall reaches the target (the lowest
 *   costs the least in-scope accuracy); when the budget runs out first, the lowest threshold with
 *   the best recall within it. Use it when a deployment states the OOS recall it needs.
 * - otherwise ("balanced"): the threshold maximising in-scope accuracy + OOS recall (fractions,
 *   equally weighted); ties go to the lowest threshold.
 */
export function chooseThreshold(
  points: CalibrationPoint[],
  maxInScopeLoss = 0.02,
  oosRecallTarget?: number,
): ThresholdChoice {
  const inScope = points.filter((p) => !p.isOutOfScope);
  const oos = points.filter((p) => p.isOutOfScope);
  const evaluate = (t: number): ThresholdChoice => {
    const acc = inScope.length
      ? inScope.filter((p) => p.topIsCorrect && p.confidence >= t).length / inScope.length
      : 0;
    const recall = oos.length ? oos.filter((p) => p.topIsCorrect || p.confidence < t).length / oos.length : 0;
    return { threshold: t, inScopeAccuracy: acc, oosRecall: recall, points: points.length };
  };
  const base = evaluate(0);
  if (oos.length === 0 || inScope.length === 0) return base;
  // Candidates sit just above each observed confidence, so each one flips at least one point.
  const candidates = [...new Set(points.map((p) => p.confidence + 1e-9))].sort((a, b) => a - b);
  const reachesTarget = (choice: ThresholdChoice) =>
    oosRecallTarget !== undefined && choice.oosRecall >= oosRecallTarget - 1e-12;
  if (reachesTarget(base)) return base;
  let best = base;
  for (const t of candidates) {
    const choice = evaluate(t);
    if (choice.inScopeAccuracy < base.inScopeAccuracy - maxInScopeLoss - 1e-12) break; // only falls further
    if (oosRecallTarget !== undefined) {
      if (reachesTarget(choice)) return choice;
      if (choice.oosRecall > best.oosRecall + 1e-12) best = choice;
    } else if (choice.inScopeAccuracy + choice.oosRecall > best.inScopeAccuracy + best.oosRecall + 1e-12) {
      best = choice;
    }
  }
  return best;
}
