export * from './returnRequest';
export { ReturnStore } from './returnStore';
export { knowledgeReturnsPolicy, type ReturnsPolicySource } from './returnsPolicy';
export {
  loadReturnRules,
  NO_RETURN_RULES,
  nonReturnableRule,
  returnRulesSchema,
  type ReturnRules,
} from './returnRules';
