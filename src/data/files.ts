/**
 * Reads a bundled data file (`data/NAME`). In Node it reads the repository's data folder; in a
 * browser Web Worker (the web designer's local simulator) the contents are provided once with
 * `provideDataFiles`, since there is no file system. Model code stays the same in both.
 */
const provided = new Map<string, string>();

export function provideDataFiles(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) provided.set(name, text);
}

interface NodeFs {
  readFileSync(path: URL, encoding: "utf8"): string;
}

function nodeFs(): NodeFs | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.("node:fs") as NodeFs | undefined;
}

// kept out of a `new URL("literal", import.meta.url)` pattern so bundlers do not inline the folder
const DATA_DIR = "../../data/";

/** The file's URL in the repository (Node only). */
export function dataFileUrl(name: string): URL {
  return new URL(DATA_DIR + name, import.meta.url);
}

export function readDataFile(name: string): string {
  const text = provided.get(name);
  if (text !== undefined) return text;
  const fs = nodeFs();
  if (!fs) throw new Error(`data file ${name} was not provided (call provideDataFiles in the browser)`);
  return fs.readFileSync(dataFileUrl(name), "utf8");
}

/** Reads any text file by path (Node only; throws a clear error in a browser). */
export function readTextFile(path: string): string {
  const fs = nodeFs() as unknown as { readFileSync(p: string, e: "utf8"): string } | undefined;
  if (!fs) throw new Error(`cannot read ${path}: no file system here`);
  return fs.readFileSync(path, "utf8");
}

/** The file system path of a bundled data file (Node only). */
export function dataFilePath(name: string): string {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const url = proc?.getBuiltinModule?.("node:url") as { fileURLToPath(u: URL): string } | undefined;
  if (!url) throw new Error(`no file system path for ${name} here`);
  return url.fileURLToPath(dataFileUrl(name));
}
