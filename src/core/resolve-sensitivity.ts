import { diagnostic, type Diagnostic } from './diagnostic.js';
import { compileGlob } from './glob.js';
import type { OrgConfig, ResourceFile, Sourced } from './model.js';
import { locate } from './yaml-source.js';

export interface SensitivityResolution {
  sensitivity?: string;
  /** Which rule decided: the resource's own field, or the index of the `defaults` entry. */
  from?: 'resource' | number;
  diagnostics: Diagnostic[];
}

/**
 * A resource's own `sensitivity` wins; otherwise the first `defaults` entry whose glob matches its id.
 * No match, or a level grantops.yaml does not define, is an error: a resource must never end up with no bar.
 */
export function resolveSensitivity(org: OrgConfig | undefined, resource: Sourced<ResourceFile>): SensitivityResolution {
  if (!org) return { diagnostics: [] };
  const { value, file, source } = resource;
  if (value.sensitivity !== undefined) {
    if (!(value.sensitivity in org.sensitivity)) {
      return {
        diagnostics: [
          diagnostic(file, locate(source, ['sensitivity']), 'resource/unknown-sensitivity', `sensitivity "${value.sensitivity}" is not defined in grantops.yaml (defined: ${Object.keys(org.sensitivity).join(', ')})`),
        ],
      };
    }
    return { sensitivity: value.sensitivity, from: 'resource', diagnostics: [] };
  }
  const index = (org.defaults ?? []).findIndex((d) => compileGlob(d.resources)(value.id));
  if (index < 0) {
    return {
      diagnostics: [
        diagnostic(file, locate(source, ['id']), 'resource/no-sensitivity', `resource "${value.id}" has no sensitivity and no defaults entry of grantops.yaml matches it`),
      ],
    };
  }
  // The level a default names is checked once, against grantops.yaml, by validateAccessRepo.
  return { sensitivity: org.defaults![index]!.sensitivity, from: index, diagnostics: [] };
}
