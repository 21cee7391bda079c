export { activityTenantId, checkTenant, isTenantAllowed, type TenantVerdict } from './tenantAllowList';
export {
  createTurnRateLimiter,
  createTurnRateLimiterFromConfig,
  DEFAULT_TENANT_RULE,
  DEFAULT_USER_RULE,
  type RateLimitDecision,
  type RateLimitRule,
  type TurnRateLimiter,
  type TurnRateLimiterOptions,
} from './rateLimiter';
export { findForbiddenKey, MAX_JSON_DEPTH } from './bodyGuards';
