/**
 * The import rules the layout promises (checked by `npm run lint:deps`):
 * handlers → app → domain; adapters implement the app's ports; functions/contract is what crosses from the
 * stack to the functions; workflows/ and lib/ depend on the domain and the contract, never the reverse.
 */
const SOURCES = '^(functions|lib|workflows|local|bin|bench)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: { path: SOURCES }, to: { circular: true } },
    {
      name: 'no-folder-cycles',
      severity: 'error',
      scope: 'folder',
      from: { path: SOURCES },
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      comment: 'The domain imports only itself and libraries: no AWS, no app, no adapters, no stack.',
      severity: 'error',
      from: { path: '^functions/domain/' },
      to: { path: '^(functions/(app|adapters|handlers|contract)|lib|workflows|local|bin|bench)/|^node_modules/@aws-sdk/' },
    },
    {
      name: 'contract-depends-on-domain-only',
      severity: 'error',
      from: { path: '^functions/contract/' },
      to: { path: '^(functions/(app|adapters|handlers)|lib|workflows|local|bin|bench)/|^node_modules/(@aws-sdk|aws-cdk-lib)/' },
    },
    {
      name: 'app-does-not-know-handlers-or-stack',
      severity: 'error',
      from: { path: '^functions/app/' },
      to: { path: '^(functions/handlers|lib|workflows|local|bin|bench)/' },
    },
    {
      name: 'adapters-below-app',
      comment: 'Adapters implement the ports the app declares; they never call into the app or handlers.',
      severity: 'error',
      from: { path: '^functions/adapters/' },
      to: { path: '^(functions/handlers|lib|workflows|local|bin|bench)/' },
    },
    {
      name: 'functions-do-not-import-the-stack-or-local-runtime',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: '^(lib|local|bin|bench)/' },
    },
    {
      name: 'workflows-above-domain',
      comment: 'The definition, its picture and the docs generators read the domain and the contract only.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^(functions/(app|adapters|handlers)|lib|local|bin|bench)/' },
    },
    {
      name: 'stack-does-not-run-function-code',
      comment: 'lib/ names handlers by path (lib/paths.ts) and shares only the domain and the contract.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(functions/(app|adapters|handlers)|local|bench)/' },
    },
    {
      name: 'engine-is-a-library',
      comment: 'local/engine is a package: it imports nothing from the project.',
      severity: 'error',
      from: { path: '^local/engine/' },
      to: { path: '^(functions|lib|workflows|bin|bench|local/(?!engine/))' },
    },
    {
      name: 'engine-through-its-entry',
      comment: 'The project uses the engine through its public entry only.',
      severity: 'error',
      from: { path: '^(functions|lib|workflows|bin|bench|test/(?!engine/)|local/(?!engine/))' },
      to: { path: '^local/engine/(?!index\\.ts$|package\\.json$)' },
    },
    {
      name: 'functions-use-zod-mini-in-english',
      comment:
        'Function code imports zod through functions/domain/zod.ts: zod/mini (classic zod builds every class at import, at every cold start) with the English messages set.',
      severity: 'error',
      from: { path: '^functions/', pathNot: '^functions/domain/zod\\.ts$' },
      to: { path: '(^|/)node_modules/zod/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(cdk\\.out|\\.local-data|node_modules/\\.cache)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mts', '.js', '.mjs', '.cjs', '.json'] },
  },
};
