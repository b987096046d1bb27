import { POWERS_WASM_BASE64 } from "./powers-wasm.ts";

/**
 * The Hill powers P[i] = S[i]^e of a compiled network, computed by the WebAssembly kernel of
 * powers.wat over views into its memory: the generated rhs writes S, reads P, and calls `run` in
 * between. Each compiled network owns one instance (its own memory), so networks never share buffers.
 */
export interface PowerKernel {
  /** species values (clamps applied), written by the caller before `run` */
  readonly S: Float64Array;
  /** S[i]^exponent[k] for i = readers[k] after `run`; other entries untouched */
  readonly P: Float64Array;
  /** exponent per reader; the caller keeps it equal to the reaction's n */
  readonly exponents: Float64Array;
  run(): void;
}

const TABLE_BYTES = 3072; // 128 × (1/c, ln c) + 128 × 2^(j/128), see powers.wat
const PAGE = 65536;
let compiled: WebAssembly.Module | undefined;

function wasmModule(): WebAssembly.Module {
  if (!compiled) {
    const bin = atob(POWERS_WASM_BASE64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    compiled = new WebAssembly.Module(bytes);
  }
  return compiled;
}

/** The lookup tables of powers.wat, computed with the platform's log and pow (≤ 1 ulp). */
function fillTables(memory: ArrayBuffer): void {
  const f = new Float64Array(memory, 0, TABLE_BYTES / 8);
  const scratch = new Float64Array(1);
  const bits = new BigInt64Array(scratch.buffer);
  const fromBits = (b: bigint): number => {
    bits[0] = b;
    return scratch[0];
  };
  // subinterval i of z ∈ [√½, √2) holds the doubles whose bits are OFF + [i, i + 1)·2^45
  const OFF = 0x3fe6a09e667f3bcdn;
  for (let i = 0; i < 128; i++) {
    const lo = fromBits(OFF + (BigInt(i) << 45n));
    const hi = fromBits(OFF + (BigInt(i + 1) << 45n));
    const invc = 1 / ((lo + hi) / 2);
    f[2 * i] = invc;
    f[2 * i + 1] = -Math.log(invc); // ln c for c = 1/invc exactly as stored
  }
  for (let j = 0; j < 128; j++) f[256 + j] = 2 ** (j / 128);
}

export function createPowerKernel(species: number, readers: Int32Array): PowerKernel {
  const r = readers.length;
  const sOff = TABLE_BYTES;
  const pOff = sOff + 8 * species;
  const eOff = pOff + 8 * species;
  const rdOff = eOff + 8 * r;
  const bytes = rdOff + 4 * r;
  const instance = new WebAssembly.Instance(wasmModule());
  const memory = instance.exports.memory as WebAssembly.Memory;
  const pages = Math.ceil(bytes / PAGE);
  if (pages > 1) memory.grow(pages - 1);
  fillTables(memory.buffer);
  new Int32Array(memory.buffer, rdOff, r).set(readers);
  const pows = instance.exports.pows as (s: number, p: number, rd: number, ex: number, n: number) => void;
  return {
    S: new Float64Array(memory.buffer, sOff, species),
    P: new Float64Array(memory.buffer, pOff, species),
    exponents: new Float64Array(memory.buffer, eOff, r),
    run: () => pows(sOff, pOff, rdOff, eOff, r),
  };
}
