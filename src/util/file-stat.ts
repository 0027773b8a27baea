/**
 * `stat` for the files that caches validate by size and times: a thousand revision files on every
 * `history`, `heads` or `upgrade`. On Node 20 `statSync` builds a Stats object with four Date objects per
 * call, ~20,000 instructions each, while the system call beneath is a few thousand: for a thousand files,
 * 22M of the ~260M instructions of `tsmig heads`. Node's own fs binding answers the same call with the
 * numbers in a shared Float64Array, which is what `statSync` reads them from.
 *
 * The binding is Node's internals (`process.binding`, deprecated for public use), so it is used only after
 * it has given, for the first file asked, exactly what `statSync` gives; otherwise, under the permission
 * model (which refuses it), or with `--pending-deprecation` (which would print a warning for it), every
 * call is `statSync`. A call that fails is made again with `statSync`, so errors are Node's usual ones.
 */
import { statSync } from 'node:fs';

/** What the caches compare: the size, inode and times (ms) of a file, as `statSync` gives them. */
export interface FileStat {
  readonly size: number;
  readonly ino: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

type RawStat = (file: string) => Float64Array;

/** Undefined until a file could be stat'ed both ways, then the binding's stat, or null for statSync. */
let raw: RawStat | null | undefined;

/** The stat of `file` (followed through symbolic links, as `statSync`); throws as `statSync` does. */
export function fileStat(file: string): FileStat {
  if (raw === undefined) raw = checkedRawStat(file);
  if (raw !== null && raw !== undefined) {
    try {
      return fromRaw(raw(file));
    } catch {
      // statSync says what went wrong, in its usual words.
    }
  }
  return statSync(file);
}

/** Node's layout of the array (node_file.h): ino at 7, size at 8, then seconds and nanoseconds of atime, mtime, ctime. */
function fromRaw(values: Float64Array): FileStat {
  return { size: values[8]!, ino: values[7]!, mtimeMs: msFromTimeSpec(values[12]!, values[13]!), ctimeMs: msFromTimeSpec(values[14]!, values[15]!) };
}

/** As Node computes `mtimeMs` and `ctimeMs`, to the same double. */
function msFromTimeSpec(seconds: number, nanoseconds: number): number {
  return seconds * 1e3 + nanoseconds / 1e6;
}

/** The binding's stat if it gives what statSync gives for `file`; undefined if `file` cannot be stat'ed (ask again). */
function checkedRawStat(file: string): RawStat | null | undefined {
  let rawStat: RawStat;
  try {
    const { binding } = process as { binding?: (name: string) => unknown };
    // Under --pending-deprecation, process.binding is wrapped in `deprecated`, which warns on its first call.
    if (typeof binding !== 'function' || binding.name !== 'binding') return null;
    const stat = (binding('fs') as { stat?: unknown }).stat;
    if (typeof stat !== 'function') return null;
    rawStat = (path) => {
      const values: unknown = stat(path, false, undefined, true);
      if (!(values instanceof Float64Array)) throw new TypeError('not a stat array');
      return values;
    };
  } catch {
    return null;
  }
  let want: FileStat;
  try {
    want = statSync(file);
  } catch {
    return undefined;
  }
  try {
    const got = fromRaw(rawStat(file));
    return got.size === want.size && got.ino === want.ino && got.mtimeMs === want.mtimeMs && got.ctimeMs === want.ctimeMs ? rawStat : null;
  } catch {
    return null;
  }
}
