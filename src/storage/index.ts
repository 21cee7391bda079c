export * from './errors';
export * from './keys';
export { containersFile, containerSpec, type ContainerSpec } from './containers';
export { type StorageOperationEvent, type StorageOperationListener } from './cosmosOperation';
export { CosmosStateStorage } from './cosmosStateStorage';
export { updateStoreItem } from './stateUpdate';
export {
  CosmosConversationLease,
  withConversationLease,
  type ConversationLease,
  type LeaseHandle,
  type LeaseOptions,
  type WithLeaseOptions,
} from './conversationLease';
export { InProcessConversationLease } from './inProcessLease';
export { QueuedConversationLease } from './queuedLease';
export * from './inboundActivities';
export * from './transcriptStore';
export { SpooledTranscriptStore, type TranscriptSpoolOptions } from './transcriptSpool';
export { createCosmosStores, type CosmosStores, type CosmosStoresOptions } from './cosmosStores';
export { startEmbeddedCosmos, type EmbeddedCosmos } from './embeddedCosmos';
export { loadOrCreateSharedSecret } from './sharedSecret';
