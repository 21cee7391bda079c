export type { ActionContext, ActionErrorCode, ActionHandler, ActionOutcome } from './types';
export type { ActionDeps } from './deps';
export { createActionRegistry } from './registry';
export {
  DEFAULT_RBAC_PATH,
  loadRbacPolicy,
  parseRbacPolicy,
  RbacPolicy,
  withRbac,
  type Permission,
  type RbacOptions,
  type RbacPrincipal,
} from './rbac';
export { parseToolArgs, TOOL_NAMES, toolSchemas, type ToolArgs, type ToolName } from './schemas';
export { buildToolDefinitions, renderActionsJson, type ToolDefinition } from './toolDefinitions';
export { actionContextFor, type BusinessActions } from './businessActions';
