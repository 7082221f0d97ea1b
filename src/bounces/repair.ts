/**
 * Mends two breakages real bounces carry, before mailparser sees them: an mbox "From " postmark
 * on the first line (not a header; mailparser would take it for a broken one), and a
 * `boundary=` parameter on its own unindented line below its Content-Type (an MTA that forgot to
 * fold), without which the whole multipart reads as empty.
 */
const unfoldedBoundary = /^(Content-Type:[^\r\n]*;[ \t]*\r?\n)(boundary=)/gim;

export function repairMime(raw: Buffer): Buffer {
  let out = raw;
  if (out.subarray(0, 5).toString('latin1') === 'From ') {
    const end = out.indexOf(10);
    out = end === -1 ? out : out.subarray(end + 1);
  }
  if (['\nboundary=', '\nBoundary=', '\nBOUNDARY='].some((needle) => out.includes(needle))) {
    out = Buffer.from(out.toString('latin1').replace(unfoldedBoundary, '$1\t$2'), 'latin1');
  }
  return out;
}
