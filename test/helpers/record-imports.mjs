// `node --import <this file>`: appends to $RECORD_IMPORTS the URL of every module the process resolves as
// an ES module and, at exit, the path of every CommonJS module it loaded (a package's inner `require`s
// never pass the resolve hook), so a test can tell which packages, and which of their files, a command
// line loaded.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
    import { appendFileSync } from 'node:fs';
    export async function resolve(specifier, context, next) {
      const result = await next(specifier, context);
      appendFileSync(process.env.RECORD_IMPORTS, result.url + '\\n');
      return result;
    }
  `)}`,
);

const { cache } = createRequire(import.meta.url);
process.on('exit', () => appendFileSync(process.env.RECORD_IMPORTS, Object.keys(cache).map((path) => `${path}\n`).join('')));
