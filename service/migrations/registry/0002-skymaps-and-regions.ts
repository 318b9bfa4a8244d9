// Registry v2: skymap, tract and patch (templates), and sky regions on visits, tracts and patches.
// Regions are JSON (a circle or a polygon of (ra, dec) vertices). dimensions-config prompt:2.

import type { Migration } from '../migration';
import { refuseIfNotEmpty } from '../migration';

export const skymapsAndRegions: Migration = {
  version: 2,
  name: 'skymap, tract, patch and regions',
  async up(session, s) {
    await session.exec(`
      CREATE TABLE ${s}.dim_skymap (
        skymap text PRIMARY KEY, hash text, tract_max integer, patch_nx_max integer, patch_ny_max integer);
      CREATE TABLE ${s}.dim_tract (
        skymap text NOT NULL REFERENCES ${s}.dim_skymap, tract integer NOT NULL, region jsonb,
        PRIMARY KEY (skymap, tract));
      CREATE TABLE ${s}.dim_patch (
        skymap text NOT NULL, tract integer NOT NULL, patch integer NOT NULL, region jsonb,
        PRIMARY KEY (skymap, tract, patch),
        FOREIGN KEY (skymap, tract) REFERENCES ${s}.dim_tract);
      ALTER TABLE ${s}.dim_visit ADD COLUMN region jsonb;
      UPDATE ${s}.repo_attribute SET value = 'prompt:2' WHERE name = 'dimensions-config';`);
  },
  async down(session, s) {
    await refuseIfNotEmpty(session, `${s}.dim_skymap`, 'skymap records');
    await refuseIfNotEmpty(session, `${s}.dim_visit WHERE region IS NOT NULL`, 'visit regions');
    await session.exec(`
      ALTER TABLE ${s}.dim_visit DROP COLUMN region;
      DROP TABLE ${s}.dim_patch, ${s}.dim_tract, ${s}.dim_skymap;
      UPDATE ${s}.repo_attribute SET value = 'prompt:1' WHERE name = 'dimensions-config';`);
  },
};
