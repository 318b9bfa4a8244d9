// How many injected transients a detector's DiaSources recovered: each transient matched to the
// nearest unused DiaSource within the radius. Pure.
import { separationArcsec } from '../../service/domain/wcs/tan-wcs';

export interface SkyPoint {
  readonly ra: number;
  readonly dec: number;
}

export interface TransientRecovery {
  readonly injected: number;
  readonly found: number;
  /** DiaSources that match no transient (variable stars, artefacts, subtraction residuals). */
  readonly unmatchedSources: number;
}

export function recoverTransients(
  injected: readonly SkyPoint[],
  sources: readonly SkyPoint[],
  radiusArcsec = 1,
): TransientRecovery {
  const used = new Set<number>();
  let found = 0;
  for (const transient of injected) {
    let best = -1;
    let bestSeparation = radiusArcsec;
    sources.forEach((source, i) => {
      if (used.has(i)) return;
      const separation = separationArcsec(transient, source);
      if (separation <= bestSeparation) {
        best = i;
        bestSeparation = separation;
      }
    });
    if (best >= 0) {
      used.add(best);
      found++;
    }
  }
  return { injected: injected.length, found, unmatchedSources: sources.length - used.size };
}
