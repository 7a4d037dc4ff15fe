// The layers socialauth keeps, checked by `pnpm lint` (dependency-cruiser). CONTRIBUTING.md
// explains them. Type-only imports count: a cycle of types is still a knot to untie.

/**
 * @socialauth/core's layers, lowest first. A module may import its own layer and the ones below,
 * never one above, so no two folders can form a cycle. Paths are relative to packages/core/src.
 */
const CORE_LAYERS = [
  // Leaves: the error table and the plugin contract's types (what a provider author codes to).
  { name: 'leaf', paths: ['errors\\.ts', 'contract\\.ts'] },
  { name: 'locale', paths: ['locale/'] },
  // Requests to a provider's servers: no redirects followed, answers capped, https required.
  { name: 'net', paths: ['net/'] },
  { name: 'session', paths: ['session/'] },
  { name: 'types', paths: ['types\\.ts'] },
  { name: 'coordination', paths: ['coordination/'] },
  { name: 'tokens', paths: ['tokens/'] },
  { name: 'accounts', paths: ['accounts/'] },
  { name: 'provider', paths: ['provider/'] },
  { name: 'flow', paths: ['flow/'] },
  { name: 'passport', paths: ['passport/'] },
  { name: 'config', paths: ['config[^/]*\\.ts'] },
  { name: 'doors', paths: ['doors/'] },
  { name: 'root', paths: ['socialauth\\.ts', 'index\\.ts', 'provider\\.ts'] },
];

const core = (paths) => `^packages/core/src/(${paths.join('|')})`;

const layerRules = CORE_LAYERS.slice(0, -1).map((layer, i) => ({
  name: `core-layer-${layer.name}`,
  comment:
    `packages/core/src: ${layer.name} sits below ` +
    CORE_LAYERS.slice(i + 1)
      .map((l) => l.name)
      .join(', ') +
    '; it may not import them (CONTRIBUTING.md, "Layers")',
  severity: 'error',
  from: { path: core(layer.paths) },
  to: { path: core(CORE_LAYERS.slice(i + 1).flatMap((l) => l.paths)) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No module may reach itself through its imports (type-only imports included).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'contract-is-a-leaf',
      comment:
        'contract.ts holds the plugin contract types and imports nothing of core, so ' +
        'a provider author reads one file',
      severity: 'error',
      from: { path: '^packages/core/src/contract\\.ts$' },
      to: { path: '^packages/core/src/' },
    },
    {
      name: 'session-takes-options',
      comment:
        'session modules take the options they use (SessionOptions, RateLimitOptions), never the ' +
        'whole configuration',
      severity: 'error',
      from: { path: '^packages/core/src/session/' },
      to: { path: '^packages/core/src/config' },
    },
    {
      name: 'no-reach-into-another-package',
      comment:
        'A package imports another one by its name (@socialauth/...), never by a relative path ' +
        'into its folder; shared test helpers live in @socialauth/testkit',
      severity: 'error',
      from: { path: '^(packages|examples)/([^/]+)/' },
      to: {
        path: '^packages/',
        pathNot: ['^packages/$2/', 'node_modules'],
        dependencyTypes: ['local'],
        dependencyTypesNot: ['aliased'],
      },
    },
    {
      name: 'src-never-imports-tests',
      severity: 'error',
      from: { path: '^packages/[^/]+/src/' },
      to: { path: '^packages/[^/]+/test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
