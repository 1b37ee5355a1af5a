export function demoLeaks(wranglerToml: string): string[];
