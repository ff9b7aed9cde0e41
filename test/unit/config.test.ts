/** Settings read from the Worker's env (SPEC §7) and the AWS settings the store checks before any call. */
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../src/config.js';
import { dynamoClient } from '../../src/store/client.js';

describe('readConfig', () => {
  it('has SPEC §3 and §7 defaults when nothing is set', () => {
    expect(readConfig({})).toMatchObject({
      ddbTable: 'rebote', awsRegion: 'us-east-1', softBounceLimit: 3, softBounceWindowDays: 14, softSuppressionDays: 30,
      suppressUnsubscribes: true, eventRetentionDays: 90, apiKeys: [], snsTopicArns: [],
    });
    expect(readConfig({ SOFT_BOUNCE_WINDOW_DAYS: '7', EVENT_RETENTION_DAYS: '30' })).toMatchObject({ softBounceWindowDays: 7, eventRetentionDays: 30 });
  });

  it('reads vars wrangler.toml gives as TOML numbers and booleans as written', () => {
    expect(readConfig({ SOFT_BOUNCE_LIMIT: 5, SUPPRESS_UNSUBSCRIBES: false })).toMatchObject({ softBounceLimit: 5, suppressUnsubscribes: false });
    expect(() => readConfig({ SOFT_BOUNCE_LIMIT: 0 })).toThrow(ConfigError);
  });

  it('takes SUPPRESS_UNSUBSCRIBES as true or false in any case, and refuses anything else', () => {
    expect(readConfig({}).suppressUnsubscribes).toBe(true);
    expect(readConfig({ SUPPRESS_UNSUBSCRIBES: 'False' }).suppressUnsubscribes).toBe(false);
    expect(readConfig({ SUPPRESS_UNSUBSCRIBES: 'TRUE' }).suppressUnsubscribes).toBe(true);
    for (const v of ['no', '0', 'off', 'yes']) expect(() => readConfig({ SUPPRESS_UNSUBSCRIBES: v }), v).toThrow('SUPPRESS_UNSUBSCRIBES must be true or false');
  });
});

describe('the AWS settings of the store', () => {
  const aws = { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' };
  it('accepts every shape of AWS region name', () => {
    for (const region of ['us-east-1', 'eu-central-2', 'ap-southeast-7', 'us-gov-west-1', 'cn-north-1', 'il-central-1', 'us-isof-south-1', 'eusc-de-east-1']) {
      expect(() => dynamoClient(readConfig({ ...aws, AWS_REGION: region })), region).not.toThrow();
    }
  });

  it('refuses, before any call, missing credentials or a region that is not one, unless DynamoDB Local is named', () => {
    expect(() => dynamoClient(readConfig({}))).toThrow('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set');
    expect(() => dynamoClient(readConfig({ AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE' }))).toThrow(ConfigError);
    for (const region of ['us-east', 'US-EAST-1', 'useast1', 'us_east_1']) {
      expect(() => dynamoClient(readConfig({ ...aws, AWS_REGION: region })), region).toThrow('AWS_REGION must be an AWS region');
    }
    expect(() => dynamoClient(readConfig({ DDB_ENDPOINT: 'http://127.0.0.1:8000', AWS_REGION: 'local' }))).not.toThrow();
  });
});
