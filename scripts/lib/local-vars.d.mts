export declare const LOCAL_VARS: Readonly<Record<string, string>>;
export function wranglerEnv(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
