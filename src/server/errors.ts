import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { ZodError, z } from "zod";
import { InputError } from "../cli/errors.ts";

/**
 * Every error the API returns has one JSON shape: what went wrong, which field, and the allowed
 * values when the field is an enumeration, so a client can fix the request without reading code.
 */
export const ApiError = z
  .object({
    error: z.string().describe("human-readable message"),
    field: z.string().optional().describe("request field at fault, dotted path (body.scenario.species)"),
    value: z.unknown().optional(),
    allowed: z.array(z.string()).optional().describe("allowed values of the field, when it has a fixed set"),
    issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "ApiError" });
export type ApiError = z.infer<typeof ApiError>;

/** Thrown by handlers for a missing resource (404) or a conflict (409); carries the same fields. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly field?: string,
    readonly allowed?: readonly string[],
  ) {
    super(message);
    this.name = "HttpError";
  }
}

interface Issue {
  path: PropertyKey[];
  message: string;
  values?: unknown[];
}

function fromIssues(issues: Issue[], prefix: string): ApiError {
  const list = issues.map((i) => ({
    field: [prefix, ...i.path.map(String)].filter(Boolean).join("."),
    message: i.message,
    values: Array.isArray(i.values) ? i.values.map(String) : undefined,
  }));
  const first = list[0];
  return {
    error: `invalid ${first.field || "request"}: ${first.message}${first.values ? ` (allowed: ${first.values.join(", ")})` : ""}`,
    field: first.field || undefined,
    allowed: first.values,
    issues: list.map(({ field, message }) => ({ field, message })),
  };
}

/** Maps an error to its HTTP status and JSON body. Unknown errors become 500 without internals. */
export function toApiError(err: unknown): { status: number; body: ApiError } {
  if (err instanceof InputError) {
    const message = err.message.split("\n")[0];
    return {
      status: 400,
      body: { error: message, field: err.field, value: err.value, allowed: [...err.allowed] },
    };
  }
  if (err instanceof ZodError) return { status: 400, body: fromIssues(err.issues as Issue[], "") };
  if (err instanceof HttpError) {
    return {
      status: err.statusCode,
      body: { error: err.message, field: err.field, allowed: err.allowed ? [...err.allowed] : undefined },
    };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const ctx = (err as FastifyError).validationContext ?? "body";
    const issues: Issue[] = err.validation.map((v) => ({
      path: v.instancePath.split("/").filter(Boolean),
      message: v.message ?? "invalid",
      values: (v.params as { values?: unknown[] }).values,
    }));
    return { status: 400, body: fromIssues(issues, ctx) };
  }
  const fe = err as FastifyError;
  if (fe && typeof fe.statusCode === "number" && fe.statusCode >= 400 && fe.statusCode < 500) {
    const field = fe.code === "FST_ERR_CTP_BODY_TOO_LARGE" ? "body" : undefined;
    return { status: fe.statusCode, body: { error: fe.message, field } };
  }
  if (isResponseSerializationError(err)) {
    return { status: 500, body: { error: "internal error: response did not match its schema" } };
  }
  return { status: 500, body: { error: "internal error" } };
}

export function errorHandler(err: unknown, req: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = toApiError(err);
  if (status >= 500) req.log.error({ err }, "request failed");
  void reply.code(status).type("application/json").send(body);
}
