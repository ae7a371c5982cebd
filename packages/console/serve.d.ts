/** The built console's directory (with index.html), or null when it has not been built. */
export declare function consoleDir(): string | null;
