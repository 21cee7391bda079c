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

  describe('with an OOS recall target', () => {
    // In-scope points at 0.05..1.00 (all correct), OOS points at 0.1, 0.2, 0.3, 0.4 (none predicted as OOS).
    const points = [
      ...Array.from({ length: 20 }, (_, i) => inScope((i + 1) / 20)),
      ...[0.1, 0.2, 0.3, 0.4].map((c) => oos(c)),
    ];

    it('takes the lowest threshold that reaches the target', () => {
      const choice = chooseThreshold(points, 0.5, 0.5);
      expect(choice.oosRecall).toBe(0.5);
      expect(choice.threshold).toBeGreaterThan(0.2);
      expect(choice.threshold).toBeLessThan(0.25); // just above 0.2: the in-scope point at 0.25 survives
      expect(choice.inScopeAccuracy).toBe(0.8);
    });

    it('stops at the in-scope budget when the target is out of reach', () => {
      // A budget of 2 in-scope points: cutting above 0.10 drops 0.05 and 0.10 and recalls the OOS 0.1.
      const choice = chooseThreshold(points, 0.1, 1);
      expect(choice.inScopeAccuracy).toBe(0.9);
      expect(choice.oosRecall).toBe(0.25);
      expect(choice.threshold).toBeGreaterThan(0.1);
      expect(choice.threshold).toBeLessThan(0.15);
    });

    it('keeps no threshold when the OOS class alone reaches the target', () => {
      const recalled = [inScope(0.3), inScope(0.9), oos(0.8, true), oos(0.2)];
      expect(chooseThreshold(recalled, 0.02, 0.5).threshold).toBe(0);
      expect(chooseThreshold(recalled, 0.5, 1).oosRecall).toBe(1);
    });
  });
});
