// Jest's transformer for the TypeScript tests and sources: esbuild strips the types file by file (as ts-jest's
// isolatedModules did) in a fraction of the time. Type errors are `npm run typecheck`'s to find.
const { createHash } = require('node:crypto');
const { transformSync } = require('esbuild');
const { version } = require('esbuild/package.json');

module.exports = {
  canInstrument: false,
  getCacheKey(source, path) {
    return createHash('sha256').update(version).update('\0').update(path).update('\0').update(source).digest('hex');
  },
  process(source, path) {
    const { code, map } = transformSync(source, { loader: 'ts', format: 'esm', target: 'node20.10', sourcemap: 'external', sourcefile: path, tsconfigRaw: { compilerOptions: { useDefineForClassFields: true, verbatimModuleSyntax: false } } });
    return { code, map };
  },
};
