/**
 * OpenTelemetry GenAI attribute names. They are marked deprecated in
 * `@opentelemetry/semantic-conventions` 1.45 because they moved to the GenAI conventions
 * repository, so they are kept here as plain strings.
 */
export const ATTR_GEN_AI_OPERATION_NAME = "gen_ai.operation.name";
export const ATTR_GEN_AI_PROVIDER_NAME = "gen_ai.provider.name";
export const ATTR_GEN_AI_REQUEST_MODEL = "gen_ai.request.model";
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens";
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
export const ATTR_GEN_AI_RESPONSE_FINISH_REASONS = "gen_ai.response.finish_reasons";
export const ATTR_GEN_AI_CONVERSATION_ID = "gen_ai.conversation.id";
export const ATTR_GEN_AI_TOOL_NAME = "gen_ai.tool.name";

/** `gen_ai.operation.name` of a model call. */
export const GEN_AI_OPERATION_CHAT = "chat";
/** `gen_ai.operation.name` of a tool call. */
export const GEN_AI_OPERATION_EXECUTE_TOOL = "execute_tool";

/** The stable `error.type` attribute of failed spans. */
export const ATTR_ERROR_TYPE = "error.type";
