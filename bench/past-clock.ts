/**
 * Preloaded (node --import) into the paperboy commands of the docs' screenshot script
 * (bench/admin-history.ts): when DOCS_PAST_CLOCK holds an ISO time, the command's clock starts
 * there, so what it writes (readers added, confirmed, leaving; editions sent) is dated that day, as
 * if it had run then. Nothing of paperboy itself loads this file.
 */
const past = process.env.DOCS_PAST_CLOCK;
if (past) {
  const RealDate = Date;
  const shift = RealDate.parse(past) - RealDate.now();
  class PastDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + shift);
      else super(...(args as [number]));
    }
    static override now(): number {
      return RealDate.now() + shift;
    }
  }
  globalThis.Date = PastDate as unknown as DateConstructor;
}
