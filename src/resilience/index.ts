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
  isHttpFailure,
  isRetryableHttpFailure,
  TransientHttpError,
} from './resilientFetch';
export type { ResilienceSettings } from './settings';
