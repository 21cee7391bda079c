import type { SparseVector } from './features';

/** Anything that maps a feature vector to class probabilities. */
export interface ProbabilityModel {
  predict(input: SparseVector): Float64Array;
}

/**
 * The mean of its members' class probabilities. Averaging a few seeds of the same non-convex model
 * cancels much of their seed-to-seed variance and smooths the confidences the OOS threshold reads.
 */
export class AveragedEnsemble implements ProbabilityModel {
  constructor(private readonly members: ProbabilityModel[]) {
    if (members.length === 0) throw new Error('an ensemble needs at least one member');
  }

  predict(input: SparseVector): Float64Array {
    const out = this.members[0].predict(input);
    for (let m = 1; m < this.members.length; m++) {
      const probs = this.members[m].predict(input);
      for (let c = 0; c < out.length; c++) out[c] += probs[c];
    }
    for (let c = 0; c < out.length; c++) out[c] /= this.members.length;
    return out;
  }
}
