export function dotEnvValue(raw: string): string;
export function readDotEnv(path: string): Record<string, string>;
