import { describe, expect, it } from 'vitest';
import { deploymentCheck, INPUT_SECRETS } from '../../scripts/deploy-secrets.mjs';
import { readConfig } from '../../src/config.js';

describe('deploymentCheck', () => {
  it('names the required secrets that are missing', () => {
    expect(deploymentCheck(['API_KEYS']).missing).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
    expect(deploymentCheck(['API_KEYS', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']).missing).toEqual([]);
  });
  it('tells which inputs are configured and which will refuse everything', () => {
    const r = deploymentCheck(['SNS_TOPIC_ARNS', 'MANDRILL_WEBHOOK_KEY']);
    expect(r.enabled).toEqual(['ses']);
    expect(r.disabled).toContain('mandrill');
  });
  it('knows every provider secret the Worker reads', () => {
    const secretNames = Object.keys(readConfig(Object.fromEntries(Object.values(INPUT_SECRETS).flat().map((n) => [n, 'x']))).secrets);
    for (const name of secretNames) expect(Object.values(INPUT_SECRETS).flat()).toContain(name);
  });
});
