/** Pure path helpers for scenario-relative file names (no node:path: the library runs in browsers). */

function isAbsolute(p: string): boolean {
  return p.startsWith("/") || /^[A-Za-z]:[\\/]/.test(p);
}

/** The directory part of a path: `scenarios/x.yaml` → `scenarios`, `x.yaml` → ``, `/x.yaml` → `/`. */
export function dirname(path: string): string {
  const i = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  if (i < 0) return "";
  if (i === 0) return "/";
  return path.slice(0, i);
}

/** The file name without directory and extension: `scenarios/hello.yaml` → `hello`. */
export function fileStem(path: string): string {
  const base = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(0, dot) : base;
}

/**
 * Resolves `rel` against directory `dir` and removes `.` and `..` segments, keeping leading `..`
 * of relative paths (`../x` stays `../x`). An absolute `rel` ignores `dir`.
 */
export function joinPath(dir: string, rel: string): string {
  const whole = isAbsolute(rel) || dir === "" ? rel : `${dir}/${rel}`;
  const absolute = isAbsolute(whole);
  const drive = /^[A-Za-z]:/.test(whole) ? whole.slice(0, 2) : "";
  const out: string[] = [];
  for (const seg of whole.slice(drive.length).split(/[\\/]+/)) {
    if (seg === "" || seg === ".") continue;
    if (seg === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else if (seg === ".." && absolute) continue;
    else out.push(seg);
  }
  const body = out.join("/");
  if (absolute) return `${drive}/${body}`;
  return body === "" ? "." : body;
}
