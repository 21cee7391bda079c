export * from './types';
export {
  normalizeGroups,
  userGroups,
  documentGroups,
  documentGroupIds,
  isObjectId,
  isVisibleTo,
  groupsFilter,
} from './groups';
export {
  chunkSections,
  DEFAULT_CHUNK_TOKENS,
  DEFAULT_OVERLAP_TOKENS,
  type ChunkingOptions,
  type Section,
} from './chunker';
export {
  parseDocument,
  readSidecar,
  SUPPORTED_EXTENSIONS,
  DocumentParseError,
  type ParsedDocument,
} from './parsers';
export { ingestFolder, type IngestOptions, type IngestSummary, type IngestFailure } from './ingest';
export { EmbeddedKnowledgeSearch, DEFAULT_INDEX_PATH, type EmbeddedSearchOptions } from './embeddedSearch';
export {
  AzureKnowledgeSearch,
  knowledgeIndexDefinition,
  type AzureKnowledgeSearchOptions,
} from './azureSearch';
export { AzureOpenAIEmbedder, type AzureOpenAIEmbedderOptions } from './azureOpenAIEmbedder';
export {
  createKnowledgeSearch,
  ensureSampleKnowledgeIndexed,
  SAMPLE_KNOWLEDGE_DIR,
  type KnowledgeOptions,
} from './factory';
export { knowledgeOptions } from './settings';
export {
  answerExtractively,
  buildContext,
  citationOf,
  type Citation,
  type ExtractiveAnswer,
  type ExtractiveOptions,
  type PromptContext,
} from './answers';
export {
  JsonGroupDirectory,
  GraphGroupDirectory,
  SAMPLE_DIRECTORY_PATH,
  type GraphGroupDirectoryOptions,
} from './groupDirectory';
export {
  loadSensitivityLabels,
  parseSensitivityLabels,
  labelForGroups,
  highest as highestLabel,
  NO_SENSITIVITY_LABELS,
  type SensitivityLabel,
  type SensitivityLabels,
} from './sensitivity';
export {
  contactFromHit,
  findSupportContact,
  SUPPORT_CONTACT_QUERY,
  type SupportContact,
} from './supportContact';
