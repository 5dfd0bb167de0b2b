// Lint rules that guard what the type checker cannot: no promise left unhandled in the server's
// code, and the benchmark's (it runs a control plane and agents in its own process). A floating
// promise (`void p`, or a call whose promise nobody awaits) turns any transient failure into an
// unhandled rejection; every one must be awaited or given a `.catch` that handles it where it
// happens. Run with `npm run lint`; `npm test` runs it too.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Build output is not ours to lint: the compiled CLI bundles packages with their own lint comments.
  { ignores: ['dist/**', 'web/dist/**'] },
  {
    files: ['src/**/*.ts', 'bench/**/*.ts', 'web/src/**/*.ts', 'web/src/**/*.tsx'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          ignoreVoid: false,
          // Fastify's reply is thenable, but sending it needs no await: Fastify handles its errors.
          allowForKnownSafePromises: [{ from: 'package', name: 'FastifyReply', package: 'fastify' }],
        },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: true, attributes: false } }],
    },
  },
);
