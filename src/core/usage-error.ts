/**
 * A problem with how a command was called (an ambiguous ref, an identity nobody can prove), as opposed to
 * a problem with the access directory: the CLI exits with EXIT.usage for it, never with EXIT.invalid.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
