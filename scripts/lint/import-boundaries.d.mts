// Types of the lint rule's module, for the unit test that holds docs/architecture.md to its table.
export declare const IMPORT_TABLE: Record<string, string[]>;
export declare const PURE_PARTS: string[];
export declare const importBoundaries: unknown;
