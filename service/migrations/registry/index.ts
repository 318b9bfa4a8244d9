// The registry's migrations in order. Append new ones; never edit one that has shipped.
import type { MigrationSet } from '../migration';
import { coreRegistry } from './0001-core';
import { skymapsAndRegions } from './0002-skymaps-and-regions';
import { calibrationValidity } from './0003-calibration-validity';

export const REGISTRY_MIGRATIONS: MigrationSet = {
  name: 'registry',
  migrations: [coreRegistry, skymapsAndRegions, calibrationValidity],
};
