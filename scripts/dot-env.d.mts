export function dotEnvValue(raw: string): string;
export function expandDotEnv(value: string, earlier: Record<string, string>): string;
export function readDotEnv(path: string): { vars: Record<string, string>; dollars: string[] };
export function dotEnvLine(key: string, value: string): string | null;
