// `node --import <this file>`: appends the URL of every module the process resolves to $RECORD_IMPORTS,
// so a test can tell which packages a command line loaded.
import { register } from 'node:module';

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
