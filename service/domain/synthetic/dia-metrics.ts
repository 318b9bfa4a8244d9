// Difference-imaging metrics against synthetic truth (astro.md §6.7): the SNR at 50 % efficiency from
// a maximum-likelihood logistic fit, completeness per SNR bin, and the Gaussian-noise expectation of
// false positives (Kaiser 2004 / DMTN-006).

/** b of the logistic eff = 1/(1+e^{−a(SNR−b)}) maximising the Bernoulli likelihood, by grid search. */
export function fitHalfEfficiency(snr: ArrayLike<number>, found: ArrayLike<boolean>): number {
  let best = { b: Number.NaN, cost: Infinity };
  for (let a = 0.5; a <= 6; a += 0.05) {
    for (let b = 2; b <= 9; b += 0.02) {
      let cost = 0;
      for (let i = 0; i < snr.length; i++) {
        const p = 1 / (1 + Math.exp(-a * ((snr[i] as number) - b)));
        cost -= found[i] ? Math.log(Math.max(p, 1e-12)) : Math.log(Math.max(1 - p, 1e-12));
      }
      if (cost < best.cost) best = { b, cost };
    }
  }
  return best.b;
}

export interface CompletenessBin {
  readonly snrFrom: number;
  readonly snrTo: number;
  readonly injected: number;
  readonly found: number;
  readonly completeness: number;
}

/** Unit-width SNR bins from ⌊min⌋ to ⌈max⌉. */
export function completenessCurve(snr: ArrayLike<number>, found: ArrayLike<boolean>): CompletenessBin[] {
  const bins = new Map<number, { injected: number; found: number }>();
  for (let i = 0; i < snr.length; i++) {
    const bin = Math.floor(snr[i] as number);
    const entry = bins.get(bin) ?? { injected: 0, found: 0 };
    entry.injected++;
    if (found[i]) entry.found++;
    bins.set(bin, entry);
  }
  return [...bins.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([bin, e]) => ({ snrFrom: bin, snrTo: bin + 1, ...e, completeness: e.found / e.injected }));
}

/** Expected noise peaks above ν, both signs: 2·N_pix·ν·e^{−ν²/2}/(2^{5/2}π^{3/2}σ_g²). */
export function expectedFalsePositives(pixels: number, nu: number, sigmaPixels: number): number {
  return (2 * pixels * nu * Math.exp((-nu * nu) / 2)) / (2 ** 2.5 * Math.PI ** 1.5 * sigmaPixels ** 2);
}
