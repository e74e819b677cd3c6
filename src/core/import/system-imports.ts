import type { SystemConfig } from '../model.js';
import { planIdentityCenterImport } from './plan-identity-center-import.js';
import { planImport, type ImportInput, type ImportPlan } from './plan-import.js';

/** How each type of system is adopted into the access directory; a new type adds its planner here. */
export const SYSTEM_IMPORTS: Readonly<Record<SystemConfig['type'], (input: ImportInput) => ImportPlan>> = {
  aws: planImport,
  'aws-identity-center': planIdentityCenterImport,
};
