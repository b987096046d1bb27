/** Input errors live in the core (src/core/errors.ts): every layer throws them, the CLI prints them. */
export * from "../core/errors.ts";
