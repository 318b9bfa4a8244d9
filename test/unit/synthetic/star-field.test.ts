import { describe, expect, it } from 'vitest';
import { erf, pixelIntegratedGaussian } from '../../../service/domain/synthetic/error-function';
import { seededRandom } from '../../../service/domain/synthetic/random';
import { renderStarField } from '../../../service/domain/synthetic/star-field';

describe('seeded random source', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const first = [a.uniform(), a.uniform(), a.uniform()];
    expect([b.uniform(), b.uniform(), b.uniform()]).toEqual(first);
    expect(c.uniform()).not.toBe(first[0]);
  });

  it.each([0.7, 4, 30, 800, 50_000])('draws Poisson(%d) with the right mean and variance', (lambda) => {
    const random = seededRandom(7);
    const n = 40_000;
    let sum = 0;
    let sum2 = 0;
    let integers = 0;
    for (let i = 0; i < n; i++) {
      const k = random.poisson(lambda);
      if (Number.isInteger(k) && k >= 0) integers++;
      sum += k;
      sum2 += k * k;
    }
    expect(integers).toBe(n);
    const mean = sum / n;
    const variance = sum2 / n - mean * mean;
    expect(Math.abs(mean - lambda)).toBeLessThan(5 * Math.sqrt(lambda / n));
    expect(variance / lambda).toBeGreaterThan(0.95);
    expect(variance / lambda).toBeLessThan(1.05);
  });

  it('draws standard normals', () => {
    const random = seededRandom(3);
    let sum = 0;
    let sum2 = 0;
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const z = random.normal();
      sum += z;
      sum2 += z * z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.02);
    expect(sum2 / n).toBeCloseTo(1, 1);
  });
});

describe('pixel-integrated Gaussian', () => {
  it('has erf to double precision at known values', () => {
    expect(erf(0)).toBe(0);
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 15);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 15);
    expect(erf(3)).toBeCloseTo(0.9999779095030014, 15);
    expect(erf(-2)).toBeCloseTo(-0.9953222650189527, 15);
  });

  it('sums to one and is centred where asked', () => {
    const profile = new Float64Array(31);
    pixelIntegratedGaussian(15.3, 1.7, 0, profile);
    let sum = 0;
    let first = 0;
    profile.forEach((p, i) => {
      sum += p;
      first += p * i;
    });
    expect(sum).toBeCloseTo(1, 12);
    expect(first / sum).toBeCloseTo(15.3, 6);
  });
});

describe('renderStarField', () => {
  const options = {
    width: 200,
    height: 150,
    seed: 11,
    starCount: 40,
    fwhmPixels: 3.5,
    faintestFlux: 500,
    brightestFlux: 50_000,
    skyElectrons: 400,
    readNoise: 6,
    marginPixels: 10,
  };

  it('is reproducible from its seed and carries its truth', () => {
    const a = renderStarField(options);
    const b = renderStarField(options);
    expect(a.electrons).toEqual(b.electrons);
    expect(a.truth.x.length).toBe(40);
    for (let k = 0; k < 40; k++) {
      expect(a.truth.x[k]).toBeGreaterThanOrEqual(9.5);
      expect(a.truth.x[k]).toBeLessThan(190);
      expect(a.truth.flux[k]).toBeGreaterThanOrEqual(500);
      expect(a.truth.flux[k]).toBeLessThanOrEqual(50_000);
    }
  });

  it('puts every star electron into the expected image and noise of the right size around it', () => {
    const field = renderStarField(options);
    let excess = 0;
    let residual2 = 0;
    for (let i = 0; i < field.expected.length; i++) {
      excess += (field.expected[i] as number) - options.skyElectrons;
      residual2 +=
        ((field.electrons[i] as number) - (field.expected[i] as number)) ** 2 /
        ((field.expected[i] as number) + 36);
    }
    const totalFlux = field.truth.flux.reduce((s, f) => s + f, 0);
    expect(excess / totalFlux).toBeCloseTo(1, 4);
    expect(residual2 / field.expected.length).toBeGreaterThan(0.95);
    expect(residual2 / field.expected.length).toBeLessThan(1.05);
  });

  it('follows the power-law counts: faint stars outnumber bright ones', () => {
    const field = renderStarField({ ...options, starCount: 4000, width: 300, height: 300 });
    const faint = field.truth.flux.filter((f) => f < 5000).length;
    // dN/dm ∝ 10^{0.3m}: the decade 500–5000 holds 10^{0.75}/(1+10^{0.75}) ≈ 85% of the stars.
    expect(faint / 4000).toBeGreaterThan(0.82);
    expect(faint / 4000).toBeLessThan(0.88);
  });

  it('fails on a shape or flux range that cannot be rendered', () => {
    expect(() => renderStarField({ ...options, width: 0 })).toThrow(/shape 0×150/);
    expect(() => renderStarField({ ...options, faintestFlux: 10, brightestFlux: 5 })).toThrow(/faintestFlux/);
  });
});
