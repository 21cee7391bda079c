import { existsSync } from 'node:fs';
import path from 'node:path';

/** The project root: the nearest folder above `start` with a package.json (works from src/ and dist/src/). */
export function projectRoot(start = __dirname): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}
