import { zodToJsonSchema } from 'zod-to-json-schema';
import { TOOL_NAMES, toolSchemas } from './schemas';

/** One entry of a teams-ai prompt folder's actions.json (ChatCompletionAction). */
export type ToolDefinition = {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
};

/** Builds the actions.json content from the zod schemas (deterministic, so a test can compare). */
export function buildToolDefinitions(): ToolDefinition[] {
  return TOOL_NAMES.map((name) => {
    // zod-to-json-schema's typings lag zod 3.25's; the runtime objects are the same zod v3 schemas.
    const schema = toolSchemas[name] as unknown as Parameters<typeof zodToJsonSchema>[0];
    const json = zodToJsonSchema(schema, { target: 'openApi3', $refStrategy: 'none' }) as Record<
      string,
      unknown
    >;
    const { description, ...parameters } = json;
    return { name, description: String(description ?? ''), parameters };
  });
}

export function renderActionsJson(): string {
  return `${JSON.stringify(buildToolDefinitions(), null, 2)}\n`;
}
