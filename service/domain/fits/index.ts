// The FITS codec's public surface: pure functions from bytes to HDUs and back.

export type { Bitpix, StoredPixels } from './bitpix';
export type { Card, CardValue, ComplexValue } from './card';
export { FitsError } from './errors';
export { type ExposurePlanes, exposureHdus } from './exposure-hdus';
export { type FitsFile, type ReadOptions, readFits, writeFits } from './fits-file';
export { type Hdu, type ImageHdu, type OtherHdu, physicalPixels } from './hdu';
export { formatHeader, Header } from './header';
export { type ImageOptions, imageHdu } from './image-hdu';
export type { PhysicalPixels, Scaling } from './scaling';
export { type PixelStatistics, pixelStatistics } from './statistics';
export type { CompressionType, TileCompression } from './tile-compression-params';
