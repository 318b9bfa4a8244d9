// Typed errors of the central and local repos. Each message names the thing at fault and says
// what to do next; the CLIs print the message on one line and exit non-zero.

export class RepoError extends Error {
  override readonly name: string = 'RepoError';
}

/** A data id that does not fit its dataset type's dimensions (missing, extra or mistyped keys). */
export class DataIdError extends RepoError {
  override readonly name = 'DataIdError';
}

/** A dataset type the repo does not have; register it first (`prompt-repo register-dataset-type`). */
export class MissingDatasetTypeError extends RepoError {
  override readonly name = 'MissingDatasetTypeError';
}

/** Re-registration of a dataset type with other dimensions or storage class. */
export class DatasetTypeConflictError extends RepoError {
  override readonly name = 'DatasetTypeConflictError';
}

export class InvalidDefinitionError extends RepoError {
  override readonly name = 'InvalidDefinitionError';
}

export class MissingCollectionError extends RepoError {
  override readonly name = 'MissingCollectionError';
}

export class CollectionTypeError extends RepoError {
  override readonly name = 'CollectionTypeError';
}

/** A dimension record a data id refers to is not in the registry. */
export class MissingDimensionRecordError extends RepoError {
  override readonly name = 'MissingDimensionRecordError';
}

/** The registry holds a dataset whose file is gone from the datastore. */
export class DatasetFileMissingError extends RepoError {
  override readonly name = 'DatasetFileMissingError';
}

/** A file's bytes do not match the checksum or size its record holds. */
export class ChecksumMismatchError extends RepoError {
  override readonly name = 'ChecksumMismatchError';
}

/** A certification overlaps an existing validity range of the same dataset type and data id. */
export class CalibrationConflictError extends RepoError {
  override readonly name = 'CalibrationConflictError';
}

/** A second dataset with the same type, run and data id. */
export class DatasetConflictError extends RepoError {
  override readonly name = 'DatasetConflictError';
}

/** The repo's dimensions-config or schema version differs from what this build expects. */
export class RepoVersionError extends RepoError {
  override readonly name = 'RepoVersionError';
}
