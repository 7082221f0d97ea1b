/**
 * Errors a user can act on. The CLI prints `message` as one line (no stack) and exits
 * with `exitCode`; anything that is not a PaperboyError is a bug and keeps its stack.
 */
export type ErrorCode =
  | 'CONFIG'
  | 'USAGE'
  | 'SOURCE'
  | 'FEED'
  | 'TEMPLATE'
  | 'STORE'
  | 'INPUT'
  | 'TRANSPORT'
  | 'INTERRUPTED'
  | 'BROWSER'
  /** Try again later (sysexits EX_TEMPFAIL): a mail server that piped us a report keeps it and retries. */
  | 'TEMPFAIL';

const exitCodes: Record<ErrorCode, number> = {
  CONFIG: 2,
  USAGE: 2,
  INPUT: 2,
  SOURCE: 3,
  FEED: 3,
  TEMPLATE: 4,
  STORE: 6,
  TRANSPORT: 7,
  INTERRUPTED: 130,
  BROWSER: 8,
  TEMPFAIL: 75,
};

export class PaperboyError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PaperboyError';
    this.code = code;
  }
  get exitCode(): number {
    return exitCodes[this.code];
  }
}

export function isPaperboyError(error: unknown): error is PaperboyError {
  return error instanceof PaperboyError;
}

/** The message of anything thrown, for wrapping low-level errors into one line. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
