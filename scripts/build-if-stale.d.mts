export type BuildTarget = 'server' | 'web';
export const TARGETS: Record<BuildTarget, { output: string; sources: string[]; command: string[] }>;
export function isStale(name: BuildTarget): boolean;
export function buildIfStale(names?: BuildTarget[], log?: (line: string) => void): BuildTarget[];
