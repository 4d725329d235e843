/* eslint-disable */
// Lets a child `node` process run the TypeScript sources (the CLI, a worker) as the tests do:
// `node -r test/support/swc-register.js src/cli.ts ...`, with the same SWC settings as Jest.
const { transformSync } = require('@swc/core');
const { existsSync, readFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, resolve } = require('node:path');

// Sources import './x.js' where the file is x.ts (as Jest's moduleNameMapper allows).
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (parent && parent.filename && /^\.{1,2}\/.*\.js$/.test(request)) {
    const ts = resolve(dirname(parent.filename), request.replace(/\.js$/, '.ts'));
    if (!existsSync(resolve(dirname(parent.filename), request)) && existsSync(ts)) return ts;
  }
  return resolveFilename.call(this, request, parent, ...rest);
};

require.extensions['.ts'] = function compile(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
