export * from './returnRequest';
export { ReturnStore } from './returnStore';
export { knowledgeReturnsPolicy, type ReturnsPolicySource } from './returnsPolicy';
