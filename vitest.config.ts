import { defineConfig } from 'vitest/config';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';

/** Configuration the workerd tests run the Worker with (secrets are test-only values). */
export const TEST_ENV = {
  DDB_TABLE: 'rebote_test',
  API_KEYS: 'admin-test-key,read:read-test-key',
  INGEST_TOKEN: 'ingest-test-token',
  // The test topic, and the topics of the real AWS-signed vectors in test/fixtures/ses.
  SNS_TOPIC_ARNS: [
    'arn:aws:sns:us-east-1:123456789012:rebote-test',
    'arn:aws:sns:us-east-2:295079676684:publish-and-verify-892f85fe-4836-424d-8188-ab85bef0f362',
    'arn:aws:sns:us-east-2:295079676684:publish-and-verify-62674b1d-4295-426b-88e7-5fb75652a04e',
    'arn:aws:sns:us-east-1:364852123998:test-email',
  ].join(','),
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            main: './src/index.ts',
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                ...TEST_ENV,
                DDB_ENDPOINT: inject('ddbEndpoint'),
                BLACK_HOLE_ENDPOINT: inject('blackHoleEndpoint'),
                STALLED_ENDPOINT: inject('stalledEndpoint'),
                FAULT_PROXY_ENDPOINT: inject('faultProxyEndpoint'),
              },
            },
          })),
        ],
        test: {
          name: 'worker',
          include: ['test/worker/**/*.test.ts'],
          globalSetup: ['test/setup/dynamodb.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
