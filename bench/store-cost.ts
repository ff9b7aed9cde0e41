/**
 * What storing costs: DynamoDB calls (subrequests of the Worker) and write units per event, for
 * SendGrid batches of the reference mix, against DynamoDB Local with ReturnConsumedCapacity on
 * every call. Besides what DynamoDB Local reports, the write units are also modelled with AWS's
 * pricing rules (1 WCU per started KB, twice that inside a transaction, plus each index copy),
 * because DynamoDB Local does not charge transactions per item.
 */
import { DynamoDBClient, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { readConfig } from '../src/config.js';
import { applyEvents } from '../src/store/apply.js';
import { sendgrid } from '../src/providers/sendgrid/index.js';
import { sendgridBatch } from './mix.js';

interface Capacity { CapacityUnits?: number; WriteCapacityUnits?: number }

export interface StoreCost {
  events: number;
  calls: number;
  byOperation: Record<string, number>;
  /** As DynamoDB Local reports them. */
  writeUnits: number;
  /** As AWS would bill them (model). */
  modelledWriteUnits: number;
}

/** Approximate DynamoDB item size: attribute names plus values (strings and numbers as text, binary as bytes). */
function itemBytes(item: Record<string, { B?: Uint8Array }>): number {
  return Object.entries(item).reduce((n, [k, v]) => n + k.length + (v.B ? v.B.length : JSON.stringify(v).length), 0);
}

function modelled(items: TransactWriteItem[]): number {
  let units = 0;
  for (const t of items) {
    if (t.Put) {
      const size = itemBytes(t.Put.Item ?? {});
      units += 2 * Math.ceil(size / 1024);
      // Each index holding the item (projection ALL) is written too, at the standard rate.
      for (const gsi of ['gsi1pk', 'gsi2pk']) if (t.Put.Item?.[gsi]) units += Math.ceil(size / 1024);
    } else if (t.Update || t.Delete || t.ConditionCheck) {
      units += 2;
    }
  }
  return units;
}

export async function measureStore(endpoint: string, table: string, size: number): Promise<StoreCost> {
  const cfg = readConfig({ DDB_ENDPOINT: endpoint, DDB_TABLE: table });
  const db = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const cost: StoreCost = { events: 0, calls: 0, byOperation: {}, writeUnits: 0, modelledWriteUnits: 0 };
  db.middlewareStack.add((next, context) => async (args) => {
    const op = String(context.commandName).replace(/Command$/, '');
    cost.calls++;
    cost.byOperation[op] = (cost.byOperation[op] ?? 0) + 1;
    const input = args.input as { ReturnConsumedCapacity?: string; TransactItems?: TransactWriteItem[] };
    input.ReturnConsumedCapacity = 'INDEXES';
    if (input.TransactItems) cost.modelledWriteUnits += modelled(input.TransactItems);
    const out = await next(args);
    if (!/Get|Query|Scan/.test(op)) {
      const consumed = (out.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity;
      for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) cost.writeUnits += c.WriteCapacityUnits ?? c.CapacityUnits ?? 0;
    }
    return out;
  }, { step: 'initialize', name: 'benchCost' });

  const { events } = await sendgrid.parse(new TextEncoder().encode(sendgridBatch(size)), cfg);
  cost.events = events.length;
  await applyEvents(db, cfg, events, new Date());
  db.destroy();
  return cost;
}
