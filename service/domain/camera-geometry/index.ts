// Camera geometry: the public surface (amp layouts, detector geometry per catalogued detector, raws
// in memory and their assembly).

export * from './amp-layout';
export * from './assemble';
export * from './box';
export * from './camera-geometry';
export * from './detector-geometry';
export * from './raw-detector';
