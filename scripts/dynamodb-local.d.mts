export class JavaMissingError extends Error {}
export function checkJava(): void;
export function freePort(): Promise<number>;
export function portTaken(port: number): Promise<boolean>;
export function startDynamoDbLocal(opts?: { port?: number }): Promise<{ port: number; endpoint: string; exited: Promise<number | string | null>; stop(): Promise<void> }>;
export function tableDefinition(tableName?: string): { create: Record<string, unknown>; ttlAttribute: string };
export function ensureTable(endpoint: string, tableName?: string): Promise<void>;
