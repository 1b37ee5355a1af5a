export function demoLeaks(wranglerToml: string): string[];
export function addressProblems(wranglerToml: string): string[];
