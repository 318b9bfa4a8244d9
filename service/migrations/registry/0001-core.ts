// Registry v1: repo attributes, collections, dataset types, datasets, datastore records and the
// observation dimensions (instrument … visit). dimensions-config prompt:1.

import type { Migration } from '../migration';
import { refuseIfNotEmpty } from '../migration';

export const coreRegistry: Migration = {
  version: 1,
  name: 'core registry and observation dimensions',
  async up(session, s) {
    await session.exec(`
      CREATE TABLE ${s}.repo_attribute (name text PRIMARY KEY, value text NOT NULL);
      INSERT INTO ${s}.repo_attribute VALUES ('dimensions-config', 'prompt:1');

      CREATE TABLE ${s}.collection (
        collection_id bigserial PRIMARY KEY,
        name text NOT NULL UNIQUE,
        type text NOT NULL CHECK (type IN ('RUN', 'CHAINED', 'CALIBRATION')),
        doc text NOT NULL DEFAULT '');
      CREATE TABLE ${s}.collection_chain (
        parent_id bigint NOT NULL REFERENCES ${s}.collection ON DELETE CASCADE,
        position integer NOT NULL,
        child_id bigint NOT NULL REFERENCES ${s}.collection,
        PRIMARY KEY (parent_id, position));

      CREATE TABLE ${s}.dataset_type (
        dataset_type_id serial PRIMARY KEY,
        name text NOT NULL UNIQUE,
        dimensions text[] NOT NULL,
        storage_class text NOT NULL,
        is_calibration boolean NOT NULL);
      CREATE TABLE ${s}.dataset (
        dataset_id uuid PRIMARY KEY,
        dataset_type_id integer NOT NULL REFERENCES ${s}.dataset_type,
        run_id bigint NOT NULL REFERENCES ${s}.collection,
        data_id jsonb NOT NULL,
        data_id_key text NOT NULL,
        ingested_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (dataset_type_id, run_id, data_id_key));
      CREATE INDEX dataset_data_id ON ${s}.dataset USING gin (data_id jsonb_path_ops);
      CREATE TABLE ${s}.datastore_record (
        dataset_id uuid PRIMARY KEY REFERENCES ${s}.dataset ON DELETE CASCADE,
        path text NOT NULL,
        size_bytes bigint NOT NULL,
        checksum text NOT NULL);

      CREATE TABLE ${s}.dim_instrument (
        instrument text PRIMARY KEY, class_name text, detector_max integer, visit_max bigint);
      CREATE TABLE ${s}.dim_detector (
        instrument text NOT NULL REFERENCES ${s}.dim_instrument, detector integer NOT NULL,
        full_name text, purpose text, PRIMARY KEY (instrument, detector));
      CREATE TABLE ${s}.dim_physical_filter (
        instrument text NOT NULL REFERENCES ${s}.dim_instrument, physical_filter text NOT NULL,
        band text, PRIMARY KEY (instrument, physical_filter));
      CREATE TABLE ${s}.dim_day_obs (
        instrument text NOT NULL REFERENCES ${s}.dim_instrument, day_obs integer NOT NULL,
        timespan_begin timestamptz, timespan_end timestamptz, PRIMARY KEY (instrument, day_obs));
      CREATE TABLE ${s}.dim_group (
        instrument text NOT NULL REFERENCES ${s}.dim_instrument, "group" text NOT NULL,
        PRIMARY KEY (instrument, "group"));
      CREATE TABLE ${s}.dim_exposure (
        instrument text NOT NULL REFERENCES ${s}.dim_instrument, exposure bigint NOT NULL,
        physical_filter text, day_obs integer, "group" text, obs_id text, exposure_time double precision,
        timespan_begin timestamptz, timespan_end timestamptz,
        PRIMARY KEY (instrument, exposure),
        FOREIGN KEY (instrument, physical_filter) REFERENCES ${s}.dim_physical_filter,
        FOREIGN KEY (instrument, day_obs) REFERENCES ${s}.dim_day_obs,
        FOREIGN KEY (instrument, "group") REFERENCES ${s}.dim_group);
      CREATE TABLE ${s}.dim_visit (
        instrument text NOT NULL REFERENCES ${s}.dim_instrument, visit bigint NOT NULL,
        physical_filter text, day_obs integer, timespan_begin timestamptz, timespan_end timestamptz,
        PRIMARY KEY (instrument, visit),
        FOREIGN KEY (instrument, physical_filter) REFERENCES ${s}.dim_physical_filter,
        FOREIGN KEY (instrument, day_obs) REFERENCES ${s}.dim_day_obs);`);
  },
  async down(session, s) {
    await refuseIfNotEmpty(session, `${s}.dataset`, 'datasets');
    await session.exec(`
      DROP TABLE ${s}.dim_visit, ${s}.dim_exposure, ${s}.dim_group, ${s}.dim_day_obs,
        ${s}.dim_physical_filter, ${s}.dim_detector, ${s}.dim_instrument, ${s}.datastore_record,
        ${s}.dataset, ${s}.dataset_type, ${s}.collection_chain, ${s}.collection, ${s}.repo_attribute`);
  },
};
