// Registry v3: validity ranges of datasets certified into CALIBRATION collections. Ranges are
// half-open [valid_from, valid_to); valid_to NULL means "until further notice". Overlaps within one
// collection, dataset type and data id are refused by the registry under a lock on the collection.

import type { Migration } from '../migration';
import { refuseIfNotEmpty } from '../migration';

export const calibrationValidity: Migration = {
  version: 3,
  name: 'calibration validity ranges',
  async up(session, s) {
    await session.exec(`
      CREATE TABLE ${s}.calibration_validity (
        collection_id bigint NOT NULL REFERENCES ${s}.collection ON DELETE CASCADE,
        dataset_id uuid NOT NULL REFERENCES ${s}.dataset ON DELETE CASCADE,
        dataset_type_id integer NOT NULL REFERENCES ${s}.dataset_type,
        data_id_key text NOT NULL,
        valid_from timestamptz NOT NULL,
        valid_to timestamptz,
        CHECK (valid_to IS NULL OR valid_to > valid_from),
        PRIMARY KEY (collection_id, dataset_id, valid_from));
      CREATE INDEX calibration_validity_lookup
        ON ${s}.calibration_validity (collection_id, dataset_type_id, data_id_key, valid_from);`);
  },
  async down(session, s) {
    await refuseIfNotEmpty(session, `${s}.calibration_validity`, 'calibration certifications');
    await session.exec(`DROP TABLE ${s}.calibration_validity`);
  },
};
