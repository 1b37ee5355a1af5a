export declare const LOCAL_VARS: Readonly<Record<string, string>>;
