/**
 * The infrastructure template must declare the table the code uses (src/store/table.json) and
 * grant the Worker exactly the DynamoDB actions the code calls, on that table and its indexes.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INDEX } from '../../src/store/schema.js';
import table from '../../src/store/table.json';

const template = JSON.parse(readFileSync(new URL('../../infra/rebote.template.json', import.meta.url), 'utf8'));
const tableProps = template.Resources.Table.Properties;
const sortBy = <T extends Record<string, unknown>>(xs: T[], k: keyof T) => [...xs].sort((a, b) => String(a[k]).localeCompare(String(b[k])));

/** The DynamoDB commands src/ sends, read from the code, mapped to IAM actions. */
function codeUse(): { actions: Set<string>; queriesIndexes: boolean } {
  const src = new URL('../../src/', import.meta.url);
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const actions = new Set<string>();
  let queriesIndexes = false;
  for (const f of files) {
    const text = readFileSync(new URL(f, src), 'utf8');
    queriesIndexes ||= /IndexName:/.test(text);
    for (const m of text.matchAll(/new (\w+)Command\(/g)) {
      const op = m[1]!;
      if (op === 'TransactWriteItems') {
        // A transaction is authorized per contained operation (Put/Update/Delete/ConditionCheck).
        for (const kind of text.matchAll(/\b(Put|Update|Delete|ConditionCheck): \{/g)) {
          actions.add(`dynamodb:${kind[1] === 'ConditionCheck' ? 'ConditionCheckItem' : `${kind[1]}Item`}`);
        }
      } else actions.add(`dynamodb:${op}`);
    }
  }
  return { actions, queriesIndexes };
}

describe('infra/rebote.template.json', () => {
  it('declares the same keys, attributes and indexes as the code', () => {
    expect(tableProps.KeySchema).toEqual(table.KeySchema);
    expect(sortBy(tableProps.AttributeDefinitions, 'AttributeName')).toEqual(sortBy(table.AttributeDefinitions, 'AttributeName'));
    expect(sortBy(tableProps.GlobalSecondaryIndexes, 'IndexName')).toEqual(sortBy(table.GlobalSecondaryIndexes, 'IndexName'));
    expect(tableProps.TimeToLiveSpecification).toEqual({ AttributeName: table.TimeToLiveAttribute, Enabled: true });
  });

  it('asks for on-demand billing, point-in-time recovery and deletion protection, and keeps no secret in the stack', () => {
    expect(tableProps.BillingMode).toBe('PAY_PER_REQUEST');
    expect(tableProps.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled).toBe(true);
    // DynamoDB encrypts at rest with its own key by default; SSEEnabled would switch to a billed KMS key.
    expect(tableProps.SSESpecification).toBeUndefined();
    expect(tableProps.DeletionProtectionEnabled).toBe(true);
    // An access key's secret in the outputs stays readable by anyone who may describe the stack.
    expect(Object.values(template.Resources).map((r) => (r as { Type: string }).Type)).not.toContain('AWS::IAM::AccessKey');
    expect(JSON.stringify(template.Outputs)).not.toMatch(/SecretAccessKey/);
    expect(template.Outputs.WorkerUser.Value).toEqual({ Ref: 'WorkerUser' });
  });

  it('grants exactly the actions the code calls, never a wildcard', () => {
    const statements = template.Resources.WorkerUser.Properties.Policies.flatMap(
      (p: { PolicyDocument: { Statement: { Action: string[] }[] } }) => p.PolicyDocument.Statement,
    );
    const granted = new Set<string>(statements.flatMap((s: { Action: string[] }) => s.Action));
    for (const a of granted) expect(a).not.toMatch(/\*/);
    const use = codeUse();
    expect([...granted].sort()).toEqual([...use.actions].sort());
    expect(use.actions.size).toBeGreaterThan(3);
  });

  it('grants them on this template\'s table, and Query on each of its indexes the code queries', () => {
    type Statement = { Action: string[]; Resource: unknown[] };
    const statements: Statement[] = template.Resources.WorkerUser.Properties.Policies.flatMap(
      (p: { PolicyDocument: { Statement: Statement[] } }) => p.PolicyDocument.Statement,
    );
    const tableArn = { 'Fn::GetAtt': ['Table', 'Arn'] };
    // Every action but Query is on the table itself, and only there.
    for (const s of statements) {
      if (s.Action.some((a) => a !== 'dynamodb:Query')) expect(s.Resource).toEqual([tableArn]);
    }
    const queried = statements.filter((s) => s.Action.includes('dynamodb:Query')).flatMap((s) => s.Resource);
    const indexes = table.GlobalSecondaryIndexes.map((g) => g.IndexName);
    expect(new Set(queried)).toEqual(new Set([tableArn, ...indexes.map((name) => ({ 'Fn::Sub': `\${Table.Arn}/index/${name}` }))]));
    // The indexes the code queries are those (an index nobody queries needs no grant).
    expect(Object.values(INDEX).sort()).toEqual([...indexes].sort());
  });
});
