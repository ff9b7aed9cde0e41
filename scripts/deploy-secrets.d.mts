export const REQUIRED_SECRETS: string[];
export const INPUT_SECRETS: Record<string, string[]>;
export function deploymentCheck(names: Iterable<string>): { missing: string[]; enabled: string[]; disabled: string[] };
