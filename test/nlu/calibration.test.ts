import { describe, expect, it } from 'vitest';
import { chooseThreshold, type CalibrationPoint } from '../../src/nlu/calibration';

const inScope = (confidence: number, topIsCorrect = true): CalibrationPoint => ({
  isOutOfScope: false,
  topIsCorrect,
  confidence,
});
const oos = (confidence: number, topIsCorrect = false): CalibrationPoint => ({
  isOutOfScope: true,
  topIsCorrect,
  confidence,
});

describe('chooseThreshold', () => {
  it('cuts below the confident in-scope predictions when that recalls the OOS points for free', () => {
    const points = [inScope(0.9), inScope(0.8), inScope(0.7), oos(0.3), oos(0.4)];
    const choice = chooseThreshold(points);
    expect(choice.threshold).toBeGreaterThan(0.4);
    expect(choice.threshold).toBeLessThanOrEqual(0.7);
    expect(choice.inScopeAccuracy).toBe(1);
    expect(choice.oosRecall).toBe(1);
  });

  it('never spends more in-scope accuracy than the budget', () => {
    // 100 in-scope points at confidences 0.01..1.00, all correct; OOS points are all very confident.
    const points = [...Array.from({ length: 100 }, (_, i) => inScope((i + 1) / 100)), oos(0.99), oos(0.98)];
    const choice = chooseThreshold(points, 0.05);
    expect(choice.inScopeAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(chooseThreshold(points, 0).threshold).toBe(0);
  });

  it('counts OOS points already predicted as the OOS class as recalled', () => {
    const choice = chooseThreshold([inScope(0.9), oos(0.95, true), oos(0.2)]);
    expect(choice.oosRecall).toBe(1);
  });

  it('returns 0 without OOS points', () => {
    expect(chooseThreshold([inScope(0.5), inScope(0.6, false)]).threshold).toBe(0);
    expect(chooseThreshold([]).threshold).toBe(0);
  });
});
