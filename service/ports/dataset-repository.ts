// What a pipeline needs from a data repository (the local repo the service prepares from the central
// one): whether a dataset exists, reading it, and writing outputs into a run. The central repository
// and its registry implement these; tests use the in-memory store.

/** Dimension values naming one dataset: { instrument: 'LSSTCam', detector: 94, exposure: ... }. */
export type DataId = Readonly<Record<string, string | number>>;

export interface DatasetRef {
  readonly datasetType: string;
  /**
   * The data ID restricted to the dataset type's dimensions that are known. A dimension the caller
   * cannot know (a template's tract and patch) is left out, and any dataset matching the rest counts.
   */
  readonly dataId: DataId;
}

export interface DatasetLookup {
  exists(ref: DatasetRef): Promise<boolean>;
}

export interface DatasetStore extends DatasetLookup {
  /** The first dataset matching `ref`, or undefined. */
  get(ref: DatasetRef): Promise<unknown>;
  /**
   * Every dataset matching `ref` (one per full data ID, the first collection that has it winning),
   * e.g. all template patches overlapping a detector. A store without it serves `get` alone.
   */
  getAll?(ref: DatasetRef): Promise<unknown[]>;
  /** Writes an output into `run`, with the storage class it was declared with. */
  put(run: string, ref: DatasetRef, storageClass: string, value: unknown): Promise<void>;
}
