/**
 * Bounds on what uploads and downloads may make a server hold (reliability B-series): uploads at
 * once per user and per node, uploads and downloads per user over time (for the whole cluster), and
 * the sweeps' schedule. An app's largest file and per-user quota are its own (`app files`).
 */
export interface FileOptions {
  /** `store`: keep bytes in the store even on SQLite (tests); default: the store when nodes share it, else the data folder. */
  bytes?: 'folder' | 'store';
  /** Uploads one user may have in progress at once (default 4). */
  maxUploadsPerUser?: number;
  /** Uploads this node receives at once (default 32). */
  maxUploadsPerNode?: number;
  /** Uploads per user: bucket size and refill per second (default 30 and 0.5/s). */
  uploadRate?: { burst: number; perSecond: number };
  /** Downloads per user (default 300 and 20/s). */
  downloadRate?: { burst: number; perSecond: number };
  /** How often the file sweeps run (default 10 min) and rows per statement (default 500). */
  sweepIntervalMs?: number;
  sweepBatchSize?: number;
  /** Uploads named in no message go after this (default FileLimits.unsentTtlMs). */
  unsentTtlMs?: number;
}

export type ResolvedFileOptions = Required<Omit<FileOptions, 'bytes' | 'unsentTtlMs'>> &
  Pick<FileOptions, 'bytes' | 'unsentTtlMs'>;

export function resolveFileOptions(options: FileOptions = {}): ResolvedFileOptions {
  const resolved = {
    ...options,
    maxUploadsPerUser: options.maxUploadsPerUser ?? 4,
    maxUploadsPerNode: options.maxUploadsPerNode ?? 32,
    uploadRate: options.uploadRate ?? { burst: 30, perSecond: 0.5 },
    downloadRate: options.downloadRate ?? { burst: 300, perSecond: 20 },
    sweepIntervalMs: options.sweepIntervalMs ?? 600_000,
    sweepBatchSize: options.sweepBatchSize ?? 500,
  };
  for (const [name, n] of [
    ['maxUploadsPerUser', resolved.maxUploadsPerUser],
    ['maxUploadsPerNode', resolved.maxUploadsPerNode],
  ] as const) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be an integer of at least 1`);
  }
  return resolved;
}
