import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Tests import workspace packages from source, so `vitest` needs no build step.
const alias = {
  '@crm/rules': here('./packages/rules/src/index.ts'),
  '@crm/metadata': here('./packages/metadata/src/index.ts'),
  '@crm/query': here('./packages/query/src/index.ts'),
  '@crm/ddl': here('./packages/ddl/src/index.ts'),
  '@crm/automation': here('./packages/automation/src/index.ts'),
  '@crm/migrations': here('./migrations/src/index.ts'),
  '@crm/server': here('./server/src/index.ts'),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'designer/src/**/*.test.ts', 'runtime/src/**/*.test.ts'],
          environment: 'node',
          sequence: { groupOrder: 0 },
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['server/src/**/*.test.ts', 'tests/**/*.test.ts'],
          exclude: ['tests/journeys/**', 'tests/bench/**', '**/node_modules/**'],
          environment: 'node',
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'journeys',
          include: ['tests/journeys/**/*.journey.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: 'forks',
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
