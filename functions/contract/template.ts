/**
 * What the synthesized template tells the local runtime about a function beyond its environment.
 */

/** Template metadata key on every complaint-loop Lambda: its handler module, relative to the repository root. */
export const ENTRY_METADATA_KEY = 'complaint-loop:entry';
