export {
  CircuitOpenError,
  DependencyPolicy,
  DependencyTimeoutError,
  type BreakerSettings,
  type CircuitStateName,
  type DependencyPolicyOptions,
} from './dependencyPolicy';
export {
  createDependencyPolicies,
  circuitStates,
  type DependencyName,
  type DependencyPolicies,
} from './dependencies';
export { createModelRequestPolicy, type ModelRetrySettings } from './modelRequests';
export { ResilientKnowledgeSearch, isSearchFailure } from './resilientKnowledgeSearch';
export { CircuitBreakingModel, circuitBreakingCompletion, isFailedModelResponse } from './resilientModel';
export {
  CircuitAwareTranscriptStore,
  CircuitBreakingLease,
  CircuitBreakingStorage,
  isCosmosFailure,
} from './resilientStores';
export {
  createResilientFetch,
  httpRetryAfterMs,
  isHttpFailure,
  isRetryableHttpFailure,
  TransientHttpError,
} from './resilientFetch';
export type { ResilienceSettings } from './settings';
