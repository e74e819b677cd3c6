import { readAccessDir } from '../adapters/file/read-access-dir.js';
import { loadAccessRepo, type LoadResult } from '../core/load-access-repo.js';

/** Reads the access directory under `root` and validates it at `now`. */
export async function validateDir(root: string, dir: string, now: Date): Promise<LoadResult> {
  return loadAccessRepo(await readAccessDir(root, dir), now);
}
