import type { DB } from '@db/client';

/** A database handle or a transaction on it: services that write inside a caller's transaction take this. */
export type Tx = DB | Parameters<Parameters<DB['transaction']>[0]>[0];
